import { NotFoundError } from '../errors/api-error.js'
import { type FailureKind, failureKindOf } from '../errors/classify.js'
import type { AccountState, AccountStatusRecord, PoolSnapshot, State } from '../state/types.js'
import { type AccountLease, LeaseKeeper } from './account-lease.js'
import type { AccountSelection } from './account-options.js'
import type { AccountStatus, AccountStatusEvent } from './account-status.js'
import { type Blocked, noAccountError, queueFullError } from './no-account-error.js'
import { isAccountFailure, parkRecord } from './park.js'
import type { PoolAccount } from './pool-account.js'
import { selectAccount, usable } from './selection.js'
import { SlotWaiters } from './slot-waiters.js'

export interface AccountPoolOptions {
  accounts: readonly PoolAccount[]
  state: State
  /** @defaultValue 'sticky' */
  selection?: AccountSelection | undefined
  /** Requests that may wait for a slot before the next one gets 529. @defaultValue 100 */
  maxQueue?: number | undefined
  /** How long a conversation stays on its account after its last request. @defaultValue 3_600_000 */
  stickyTtlMs?: number | undefined
  /** Lease of a concurrency slot; renewed while the request lives. @defaultValue 60_000 */
  slotLeaseMs?: number | undefined
  /** How often a waiting request looks again without being woken. @defaultValue 1_000 */
  pollMs?: number | undefined
  /** Clock in ms since the epoch. @defaultValue `Date.now` */
  now?: (() => number) | undefined
  /** When a spent quota resets (`GetUsageLimits`); undefined when it cannot tell. */
  resetOf?:
    | ((account: PoolAccount, signal: AbortSignal | undefined) => Promise<number | undefined>)
    | undefined
  onStatus?: ((event: AccountStatusEvent) => void) | undefined
  /** Called once by {@link AccountPool.close}. */
  onClose?: (() => void) | undefined
}

/** One request's needs. */
export interface AcquireRequest {
  /** The model as the caller named it, for error messages. */
  model: string
  /** The Kiro model id, for the accounts' model lists. */
  modelId: string
  /** The conversation's key, for sticky routing. */
  stickyKey?: string | undefined
  /** Accounts already tried by this request. */
  exclude?: ReadonlySet<string> | undefined
  /** Only these accounts; undefined: any. */
  allowed?: ReadonlySet<string> | undefined
  signal?: AbortSignal | undefined
}

/** Slot maximum passed to the state for an account without a cap: counted, never refused. */
const UNLIMITED = 2 ** 31 - 1

/**
 * Several Kiro logins behind one client (docs/accounts.md): picks an account per request from one
 * `State` snapshot, holds a concurrency slot on it, parks an account that failed for a reason of
 * its own (with the deadline that reason implies) and says, when none can serve, why and until when.
 */
export class AccountPool {
  readonly #state: State
  readonly #selection: AccountSelection
  readonly #maxQueue: number
  readonly #stickyTtlMs: number
  readonly #slotLeaseMs: number
  readonly #pollMs: number
  readonly #now: () => number
  readonly #resetOf: AccountPoolOptions['resetOf']
  readonly #onStatus: AccountPoolOptions['onStatus']
  #onClose: AccountPoolOptions['onClose']
  readonly #waiters = new SlotWaiters()
  readonly #leases: LeaseKeeper
  readonly #throttles = new Map<string, number>()
  readonly #lastErrors = new Map<string, NonNullable<AccountStatus['lastError']>>()
  #accounts: readonly PoolAccount[] = []
  #ids: readonly string[] = []
  #index = new Map<string, number>()
  #cursor = 0
  /** The configuration's `disabled` flags, applied to the state once at start. */
  readonly #started: Promise<void>
  #isStarted = false

  constructor(options: AccountPoolOptions) {
    this.#state = options.state
    this.#selection = options.selection ?? 'sticky'
    this.#maxQueue = options.maxQueue ?? 100
    this.#stickyTtlMs = options.stickyTtlMs ?? 3_600_000
    this.#slotLeaseMs = options.slotLeaseMs ?? 60_000
    this.#pollMs = options.pollMs ?? 1_000
    this.#now = options.now ?? (() => Date.now())
    this.#resetOf = options.resetOf
    this.#onStatus = options.onStatus
    this.#onClose = options.onClose
    this.#leases = new LeaseKeeper(this.#state, this.#slotLeaseMs, () => this.#waiters.wakeAll())
    this.#install(options.accounts)
    this.#started = this.#applyConfiguredDisabled([]).then(() => {
      this.#isStarted = true
    })
    // Awaited (and so reported) by the first call that needs it.
    this.#started.catch(() => {})
  }

  /** Resolves once the configuration's `disabled` flags are in the state. */
  ready(): Promise<void> {
    return this.#started
  }

  get accounts(): readonly PoolAccount[] {
    return this.#accounts
  }

  get state(): State {
    return this.#state
  }

  /** The account named `id`, or undefined. */
  get(id: string): PoolAccount | undefined {
    const index = this.#index.get(id)
    return index === undefined ? undefined : this.#accounts[index]
  }

  /**
   * Takes a slot on the best account for this request, waiting in the bounded queue while every
   * usable account is at its cap. Rejects with the error of {@link noAccountError} when none can
   * serve, `OverloadedError` (529) when the queue is full, `APIUserAbortError` on abort.
   */
  async acquire(request: AcquireRequest): Promise<AccountLease> {
    if (!this.#isStarted) await this.#started
    let busy: Set<string> | undefined
    const stickyKey = this.#selection === 'sticky' ? request.stickyKey : undefined
    for (;;) {
      const accounts = this.#accounts
      const snapshot = await this.#state.snapshot(this.#ids, stickyKey)
      const now = this.#now()
      const stickyIndex = snapshot.sticky === undefined ? -1 : (this.#index.get(snapshot.sticky) ?? -1)
      const selected = selectAccount(
        accounts,
        snapshot,
        { modelId: request.modelId, exclude: request.exclude, busy, allowed: request.allowed },
        this.#selection,
        this.#cursor,
        stickyIndex,
        now,
      )
      if (selected.kind === 'pick') {
        const account = accounts[selected.index]!
        const max = Number.isFinite(account.maxConcurrency) ? account.maxConcurrency : UNLIMITED
        const slot = await this.#state.acquireSlot(account.id, max, this.#slotLeaseMs)
        if (slot === undefined) {
          // Another request (or process) took the last slot since the snapshot.
          busy ??= new Set()
          busy.add(account.id)
          continue
        }
        this.#cursor = (selected.index + 1) % accounts.length
        if (
          stickyKey !== undefined &&
          this.#routeNeedsWrite(selected.sticky, snapshot, accounts[stickyIndex], request, now)
        ) {
          await this.#state.setSticky(stickyKey, account.id, this.#stickyTtlMs)
        }
        return this.#leases.hold(account, slot)
      }
      if (selected.kind === 'none') throw this.#noAccount(snapshot.statuses, request, now)
      if (this.#waiters.size >= this.#maxQueue) throw queueFullError(this.#waiters.size)
      await this.#waiters.wait(this.#pollMs, request.signal)
      busy = undefined
    }
  }

  /**
   * Reports a failure of a request on `lease`'s account. An account-level failure (throttle,
   * quota, suspension, invalid login, a token refused after its refresh) parks the account and
   * returns true: the request may go on to another account. Anything else returns false.
   */
  async fail(lease: AccountLease, error: unknown, signal?: AbortSignal): Promise<boolean> {
    const kind = failureKindOf(error)
    const { id } = lease.account
    if (kind !== undefined && kind !== 'request') this.#noteError(id, kind, error)
    if (!isAccountFailure(kind)) return false
    const throttles = kind === 'throttled' ? (this.#throttles.get(id) ?? 0) + 1 : 0
    if (kind === 'throttled') this.#throttles.set(id, throttles)
    let resetsAt: number | undefined
    if (kind === 'quota' && this.#resetOf !== undefined) {
      resetsAt = await this.#resetOf(lease.account, signal).catch(() => undefined)
    }
    const record = parkRecord(kind, error, { now: this.#now(), throttles, resetsAt })
    if (record !== undefined) await this.#setStatus(id, record, 'failure')
    return true
  }

  /** A request on this account got its first event: its throttle streak is over. */
  succeeded(account: PoolAccount): void {
    if (this.#throttles.size > 0) this.#throttles.delete(account.id)
  }

  /** Makes an account ready again, whatever parked it (suspended and invalid included: an operator's call). */
  async enable(id: string): Promise<void> {
    this.#require(id)
    this.#throttles.delete(id)
    await this.#setStatus(id, undefined, 'operator')
  }

  /** Takes an account out of service until {@link enable}; requests in flight on it finish. */
  async disable(id: string): Promise<void> {
    this.#require(id)
    await this.#setStatus(
      id,
      { state: 'disabled', since: this.#now(), message: 'Disabled by an operator.' },
      'operator',
    )
  }

  /** Every account with its state, deadline, load and last error. No secret. */
  async list(): Promise<AccountStatus[]> {
    await this.#started
    const accounts = this.#accounts
    const snapshot = await this.#state.snapshot(this.#ids)
    const now = this.#now()
    return accounts.map((account) => {
      const record = snapshot.statuses.get(account.id)
      const live = record !== undefined && (record.until === undefined || record.until > now)
      const status: AccountStatus = {
        id: account.id,
        state: live ? record.state : 'ready',
        inFlight: snapshot.inFlight.get(account.id) ?? 0,
        ...account.describe(),
      }
      if (live) {
        if (record.until !== undefined) status.until = record.until
        if (record.reason !== undefined) status.reason = record.reason
        if (record.message !== undefined) status.message = record.message
        status.since = record.since
      }
      if (Number.isFinite(account.maxConcurrency)) status.maxConcurrency = account.maxConcurrency
      const lastError = this.#lastErrors.get(account.id)
      if (lastError !== undefined) status.lastError = lastError
      if (account.usage !== undefined) status.usage = account.usage
      if (account.models !== undefined) status.models = [...account.models]
      return status
    })
  }

  /**
   * When the first account that could serve `modelId` (any model when absent) is ready: now when
   * one is, the earliest deadline otherwise, undefined when none will be by itself.
   */
  async nextReadyAt(modelId?: string): Promise<number | undefined> {
    const snapshot = await this.#state.snapshot(this.#ids)
    const now = this.#now()
    let earliest: number | undefined
    for (const account of this.#accounts) {
      if (modelId !== undefined && !account.serves(modelId)) continue
      const record = snapshot.statuses.get(account.id)
      if (record === undefined || (record.until !== undefined && record.until <= now)) return now
      if (record.until !== undefined && (earliest === undefined || record.until < earliest))
        earliest = record.until
    }
    return earliest
  }

  /**
   * Serves from `accounts` from now on (a reloaded configuration). Requests in flight keep their
   * accounts; accounts no longer listed are closed once nothing uses them (their refresh timers stop).
   */
  async replace(accounts: readonly PoolAccount[]): Promise<void> {
    const previous = this.#accounts
    this.#install(accounts)
    for (const account of previous) {
      // A kept account may be a new object sharing the old one's login: close only logins that went.
      if (!accounts.some((entry) => entry.credentials === account.credentials)) account.close()
    }
    await this.#applyConfiguredDisabled(previous)
    this.#waiters.wakeAll()
  }

  /** Applies the `disabled` flags of the configuration: at start, and on reload for accounts whose flag changed. */
  async #applyConfiguredDisabled(previous: readonly PoolAccount[]): Promise<void> {
    for (const account of this.#accounts) {
      const before = previous.find((entry) => entry.id === account.id)?.options.disabled === true
      const now = account.options.disabled === true
      if (now && !before) {
        await this.#setStatus(
          account.id,
          { state: 'disabled', since: this.#now(), message: 'Disabled in the configuration.' },
          'configuration',
        )
      } else if (!now && before) {
        const current = (await this.#state.snapshot([account.id])).statuses.get(account.id)
        if (current?.state === 'disabled') await this.#setStatus(account.id, undefined, 'configuration')
      }
    }
  }

  close(): void {
    this.#onClose?.()
    this.#onClose = undefined
    for (const account of this.#accounts) account.close()
    this.#leases.close()
    this.#waiters.wakeAll()
  }

  #install(accounts: readonly PoolAccount[]): void {
    this.#accounts = accounts
    // Frozen: a state may then remember it (the memory state keeps it as a set).
    this.#ids = Object.freeze(accounts.map((account) => account.id))
    this.#index = new Map(this.#ids.map((id, index) => [id, index]))
    this.#cursor = 0
  }

  /**
   * A conversation's route slides with its use, renewed once half its time is gone (every time when
   * the state cannot say when it expires), and moves only when its account cannot serve: a busy
   * account keeps it, and the conversation returns there next time.
   */
  #routeNeedsWrite(
    pickedOwn: boolean,
    snapshot: PoolSnapshot,
    own: PoolAccount | undefined,
    request: AcquireRequest,
    now: number,
  ): boolean {
    if (pickedOwn) {
      const expiresAt = snapshot.stickyExpiresAt
      return expiresAt === undefined || expiresAt - now < this.#stickyTtlMs / 2
    }
    return own === undefined || !usable(own, snapshot, request, now)
  }

  #noAccount(statuses: ReadonlyMap<string, AccountStatusRecord>, request: AcquireRequest, now: number) {
    const blocked: Blocked[] = []
    for (const account of this.#accounts) {
      if (request.allowed !== undefined && !request.allowed.has(account.id)) continue
      if (!account.serves(request.modelId)) continue
      blocked.push({ id: account.id, status: statuses.get(account.id) })
    }
    return noAccountError(blocked, now, request.model)
  }

  #noteError(id: string, kind: FailureKind, error: unknown): void {
    const entry: NonNullable<AccountStatus['lastError']> = {
      at: this.#now(),
      kind,
      message: error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300),
    }
    const status = (error as { status?: unknown }).status
    if (typeof status === 'number') entry.status = status
    this.#lastErrors.set(id, entry)
  }

  async #setStatus(
    id: string,
    record: AccountStatusRecord | undefined,
    cause: AccountStatusEvent['cause'],
  ): Promise<void> {
    await this.#state.setStatus(id, record)
    if (record === undefined) this.#waiters.wakeAll()
    const onStatus = this.#onStatus
    if (onStatus === undefined) return
    const state: AccountState = record?.state ?? 'ready'
    const event: AccountStatusEvent = { account: id, state, cause }
    if (record?.until !== undefined) event.until = record.until
    if (record?.reason !== undefined) event.reason = record.reason
    if (record?.message !== undefined) event.message = record.message
    try {
      onStatus(event)
    } catch {
      // A broken hook must not break the pool.
    }
  }

  #require(id: string): void {
    if (!this.#index.has(id))
      throw new NotFoundError(`account: there is no account named ${JSON.stringify(id)}.`)
  }
}
