import {
  type APIError,
  NotFoundError,
  OverloadedError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
} from '../errors/api-error.js'
import type { AccountStatusRecord } from '../state/types.js'

/** An account that could have served the request but for its status (undefined: ready, yet excluded). */
export interface Blocked {
  id: string
  status: AccountStatusRecord | undefined
}

const PERMANENT = new Set(['suspended', 'invalid', 'disabled'])

function waitHeaders(waitMs: number): Headers {
  const ms = Math.max(1_000, Math.ceil(waitMs))
  return new Headers({ 'retry-after': String(Math.ceil(ms / 1000)), 'retry-after-ms': String(ms) })
}

function counts(blocked: readonly Blocked[]): string {
  const tally = new Map<string, number>()
  for (const { status } of blocked) {
    const state = status?.state ?? 'tried'
    tally.set(state, (tally.get(state) ?? 0) + 1)
  }
  return [...tally].map(([state, n]) => `${n} ${state}`).join(', ')
}

/**
 * The error for "no account can serve this request now" (docs/accounts.md "When no account can
 * serve"): every account suspended, invalid or disabled gives `PermissionDeniedError` (403); all
 * that will come back are out of quota gives `PaymentRequiredError` (402) naming the earliest
 * reset; otherwise `RateLimitError` (429) whose `retry-after` is when the first account is ready.
 * The 402 and 429 carry `retry-after` and `retry-after-ms` headers. No secret, no upstream body.
 */
export function noAccountError(blocked: readonly Blocked[], now: number, model: string): APIError {
  if (blocked.length === 0) {
    return new NotFoundError(`model: none of this client's accounts serves ${JSON.stringify(model)}.`)
  }
  const coming = blocked.filter((entry) => !PERMANENT.has(entry.status?.state ?? ''))
  if (coming.length === 0) {
    return new PermissionDeniedError(
      `No Kiro account can serve: ${counts(blocked)}. An operator must re-enable an account (or sign it in again).`,
    )
  }
  const readyAt = Math.min(...coming.map((entry) => entry.status?.until ?? now))
  const when = new Date(Math.max(readyAt, now)).toISOString()
  if (coming.every((entry) => entry.status?.state === 'exhausted')) {
    return new PaymentRequiredError(
      `Every Kiro account that could serve is out of quota (${counts(blocked)}); the first resets at ${when}.`,
      { headers: waitHeaders(readyAt - now) },
    )
  }
  return new RateLimitError(
    `No Kiro account can serve right now (${counts(blocked)}); the first is ready again at ${when}.`,
    { headers: waitHeaders(readyAt - now) },
  )
}

/** The pool's queue is full: every account is at its concurrency cap and enough requests wait already. */
export function queueFullError(waiting: number): APIError {
  return new OverloadedError(
    `Every Kiro account is at its concurrency limit and ${waiting} requests are already waiting. Try again shortly.`,
    { headers: waitHeaders(1_000) },
  )
}
