import type { PoolSnapshot } from '../state/types.js'
import type { AccountSelection } from './account-options.js'

/** What selection needs of an account. */
export interface Candidate {
  readonly id: string
  /** `Infinity` when unlimited. */
  readonly maxConcurrency: number
  serves(modelId: string): boolean
}

/** One request's constraints. */
export interface SelectionRequest {
  /** The Kiro model id the request asks for. */
  modelId: string
  /** Accounts this request already failed on (at most once per account). */
  exclude?: ReadonlySet<string> | undefined
  /** Accounts found full while taking a slot: treated as full, not as unable. */
  busy?: ReadonlySet<string> | undefined
  /** Only these accounts (a client key pinned to accounts); undefined: any. */
  allowed?: ReadonlySet<string> | undefined
}

export type Selection =
  /** Take a slot on `candidates[index]`; `sticky` when it is the conversation's own account. */
  | { kind: 'pick'; index: number; sticky: boolean }
  /** Some account could serve but every one is at its `maxConcurrency`: wait for a slot. */
  | { kind: 'full' }
  /** No account can serve now (parked, excluded, or none serves the model). */
  | { kind: 'none' }

/** Eligible for this request, whatever its load: allowed, not excluded, serving the model, not parked. */
export function usable(
  candidate: Candidate,
  snapshot: PoolSnapshot,
  request: SelectionRequest,
  now: number,
): boolean {
  if (
    request.exclude?.has(candidate.id) ||
    (request.allowed !== undefined && !request.allowed.has(candidate.id))
  )
    return false
  if (!candidate.serves(request.modelId)) return false
  const status = snapshot.statuses.get(candidate.id)
  return status === undefined || (status.until !== undefined && status.until <= now)
}

function hasRoom(candidate: Candidate, snapshot: PoolSnapshot, request: SelectionRequest): boolean {
  if (request.busy?.has(candidate.id)) return false
  return (snapshot.inFlight.get(candidate.id) ?? 0) < candidate.maxConcurrency
}

/**
 * Picks the account for one request (docs/accounts.md "Selection"): pure, no I/O, one pass.
 *
 * - `sticky`: the conversation's account when it is usable and has room; otherwise as `least-loaded`.
 * - `least-loaded`: the usable account with the fewest requests in flight; ties go to the first
 *   after `cursor`, so idle accounts share the work instead of the first one taking it all.
 * - `round-robin`: the first usable account with room after `cursor`.
 *
 * `stickyIndex` is the index of the snapshot's sticky account, or -1.
 */
export function selectAccount(
  candidates: readonly Candidate[],
  snapshot: PoolSnapshot,
  request: SelectionRequest,
  strategy: AccountSelection,
  cursor: number,
  stickyIndex: number,
  now: number,
): Selection {
  if (strategy === 'sticky' && stickyIndex >= 0) {
    const own = candidates[stickyIndex]
    if (own !== undefined && usable(own, snapshot, request, now) && hasRoom(own, snapshot, request)) {
      return { kind: 'pick', index: stickyIndex, sticky: true }
    }
  }
  const count = candidates.length
  let best = -1
  let bestLoad = Number.POSITIVE_INFINITY
  let full = false
  for (let step = 0; step < count; step++) {
    const index = (cursor + step) % count
    const candidate = candidates[index]!
    if (!usable(candidate, snapshot, request, now)) continue
    if (!hasRoom(candidate, snapshot, request)) {
      full = true
      continue
    }
    if (strategy === 'round-robin') return { kind: 'pick', index, sticky: false }
    const load = snapshot.inFlight.get(candidate.id) ?? 0
    if (load < bestLoad) {
      best = index
      bestLoad = load
      if (load === 0) break
    }
  }
  if (best >= 0) return { kind: 'pick', index: best, sticky: false }
  return full ? { kind: 'full' } : { kind: 'none' }
}
