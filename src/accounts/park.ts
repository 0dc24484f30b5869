import { APIError } from '../errors/api-error.js'
import type { FailureKind } from '../errors/classify.js'
import { CredentialsError } from '../errors/credentials-error.js'
import { parseRetryAfter } from '../retry/retry-after.js'
import type { AccountStatusRecord } from '../state/types.js'

/** The failures that are the account's, not the request's or the model's: they move a request on. */
export function isAccountFailure(kind: FailureKind | undefined): boolean {
  return (
    kind === 'throttled' ||
    kind === 'quota' ||
    kind === 'suspended' ||
    kind === 'invalid_login' ||
    kind === 'token_invalid'
  )
}

/** Cooling after a throttle without `Retry-After`: 5 s, doubling per throttle in a row, at most 5 min. */
export const COOLING_BASE_MS = 5_000
const COOLING_MAX_MS = 300_000
/** When the reset of a spent quota is unknown (the usage lookup failed), look again after this. */
export const QUOTA_RECHECK_MS = 3_600_000
/** A login that failed in a way that may mend by itself (a missing or half-written file): look again after this. */
export const LOGIN_RECHECK_MS = 300_000
/** A token Kiro rejected even after a refresh. */
const TOKEN_REJECTED_MS = 60_000

/** Logins that stay dead until someone signs in again: parked until an operator acts. */
const DEAD_LOGIN = new Set(['refresh_token_invalid', 'expired', 'invalid_credentials'])

const MAX_MESSAGE = 300

export interface ParkContext {
  now: number
  /** Throttles in a row on this account, this one included (1 for the first). */
  throttles: number
  /** For a spent quota: when it resets, from `GetUsageLimits`; undefined when unknown. */
  resetsAt?: number | undefined
}

/**
 * The status an account-level failure parks its account in (docs/accounts.md "States"), or
 * undefined for a failure that is not the account's. Pure: the caller looks up the quota reset.
 */
export function parkRecord(
  kind: FailureKind | undefined,
  error: unknown,
  context: ParkContext,
): AccountStatusRecord | undefined {
  const { now } = context
  const base = { since: now, ...detail(error) }
  switch (kind) {
    case 'throttled': {
      const asked =
        error instanceof APIError && error.headers ? parseRetryAfter(error.headers, now) : undefined
      const backoff = Math.min(COOLING_MAX_MS, COOLING_BASE_MS * 2 ** Math.max(0, context.throttles - 1))
      return { state: 'cooling', until: now + Math.ceil(asked ?? backoff), ...base }
    }
    case 'quota':
      return { state: 'exhausted', until: quotaUntil(error, context), ...base }
    case 'suspended':
      return { state: 'suspended', ...base }
    case 'invalid_login':
      return error instanceof CredentialsError && !DEAD_LOGIN.has(error.code)
        ? { state: 'invalid', until: now + LOGIN_RECHECK_MS, ...base }
        : { state: 'invalid', ...base }
    case 'token_invalid':
      return { state: 'cooling', until: now + TOKEN_REJECTED_MS, ...base }
    default:
      return undefined
  }
}

/** A daily count resets at the next UTC midnight; anything else when `GetUsageLimits` says. */
function quotaUntil(error: unknown, context: ParkContext): number {
  const { now, resetsAt } = context
  if (error instanceof APIError && error.reason === 'DAILY_REQUEST_COUNT') {
    const midnight = new Date(now)
    midnight.setUTCHours(24, 0, 0, 0)
    return midnight.getTime()
  }
  return resetsAt !== undefined && resetsAt > now ? resetsAt : now + QUOTA_RECHECK_MS
}

function detail(error: unknown): { reason?: string; message?: string } {
  const out: { reason?: string; message?: string } = {}
  if (error instanceof APIError) {
    const reason = error.reason ?? error.kiroErrorType
    if (reason !== undefined) out.reason = reason
  } else if (error instanceof CredentialsError) {
    out.reason = error.code
  }
  if (error instanceof Error) {
    // Library errors never carry a secret; clipped so a status page stays readable.
    out.message =
      error.message.length > MAX_MESSAGE ? `${error.message.slice(0, MAX_MESSAGE)}…` : error.message
  }
  return out
}
