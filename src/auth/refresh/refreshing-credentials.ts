import { CredentialsError } from '../../errors/credentials-error.js'
import { sleep, throwIfAborted, waitFor } from '../../util/abort.js'
import { UnrefTimer } from '../../util/timers.js'
import { checkTokenURL } from '../../util/token-url.js'
import { sameLogin, type TokenStore, type TokenStoreLock } from '../token-store.js'
import type {
  CredentialsDescription,
  CredentialsProvider,
  GetTokenOptions,
  KiroToken,
  RefreshEvent,
  StoredToken,
} from '../types.js'
import { effectiveAuthMethod } from '../types.js'
import { refreshStoredToken } from './endpoints.js'
import { asCredentialsError, Backoff, cannotRefresh } from './failures.js'
import { type HeldToken, holdToken, isUsable } from './held-token.js'
import type { RefreshingCredentialsOptions, RefreshOptions } from './options.js'

interface Flow {
  force: boolean
  /** The access token Kiro rejected (forced flows only). */
  rejected?: string | undefined
  background: boolean
}

const MIN_RESCHEDULE_MS = 1_000

/**
 * The refresh core every refreshing source composes: a number compare on the request path, an
 * advisory window refreshed in the background, a mandatory window that blocks, one shared
 * in-flight refresh, backoff after failures, and write-back through a {@link TokenStore}.
 */
export class RefreshingCredentials implements CredentialsProvider {
  readonly #store: TokenStore
  readonly #options: RefreshOptions
  readonly #now: () => number
  readonly #windows: { advisoryMs: number; mandatoryMs: number }
  #held: HeldToken | undefined
  #pending: Promise<KiroToken> | undefined
  #pendingForced = false
  /** The refresh token was refused for good; kept until the store holds a different login. */
  #fatal: CredentialsError | undefined
  readonly #backoff: Backoff
  readonly #timer = new UnrefTimer(() => this.#onTimer())
  #used = false
  #closed = false
  /** A waiting caller was served a token in the advisory window: refresh in the background next. */
  #kick = false

  constructor(options: RefreshingCredentialsOptions) {
    // The refresh token (and client secret) go to these: https only, before anything is sent.
    for (const [name, url] of Object.entries(options.refreshEndpoints ?? {})) {
      if (typeof url === 'string') checkTokenURL(url, `refreshEndpoints.${name}`)
    }
    this.#store = options.store
    this.#options = options
    this.#now = options.now ?? Date.now
    this.#windows = {
      advisoryMs: options.advisoryWindowMs ?? 600_000,
      mandatoryMs: options.mandatoryWindowMs ?? 60_000,
    }
    this.#backoff = new Backoff(options.retryBackoffMs ?? 1_000, options.maxRetryBackoffMs ?? 30_000)
  }

  getToken(options?: GetTokenOptions): Promise<KiroToken> {
    this.#used = true
    const held = this.#held
    if (held?.resolved !== undefined) {
      const now = this.#now()
      if (now < held.advisoryAt) return held.resolved
      if (now < held.mandatoryAt) {
        this.#background()
        return held.resolved
      }
      // Inside the mandatory window, but nothing can be attempted now (refresh token dead, or
      // backing off after a failure): a token that has not expired still works, so serve it.
      if (
        now < held.expiresAt &&
        this.#pending === undefined &&
        (this.#fatal !== undefined || now < this.#backoff.retryAt)
      ) {
        return held.resolved
      }
    }
    try {
      throwIfAborted(options?.signal)
    } catch (error) {
      return Promise.reject(error)
    }
    return waitFor(this.#pending ?? this.#start({ force: false, background: false }), options?.signal)
  }

  async invalidate(rejected: KiroToken, options?: GetTokenOptions): Promise<KiroToken> {
    throwIfAborted(options?.signal)
    const held = this.#held
    if (
      held?.token !== undefined &&
      held.token.accessToken !== rejected.accessToken &&
      this.#now() < held.expiresAt
    ) {
      return held.token
    }
    const joined = this.#pending !== undefined && !this.#pendingForced
    const flow: Flow = { force: true, rejected: rejected.accessToken, background: false }
    const token = await waitFor(this.#pending ?? this.#start(flow), options?.signal)
    // A refresh already in flight may have been a plain re-read that kept the rejected token.
    if (joined && token.accessToken === rejected.accessToken) {
      return waitFor(this.#pending ?? this.#start(flow), options?.signal)
    }
    return token
  }

  describe(): CredentialsDescription {
    const { source, path } = this.#store.describe()
    const description: CredentialsDescription = { source }
    if (path !== undefined) description.path = path
    const held = this.#held
    if (held !== undefined) {
      const { stored } = held
      description.authMethod = effectiveAuthMethod(stored)
      if (stored.region !== undefined) description.region = stored.region
      if (stored.profileArn !== undefined) description.profileArn = stored.profileArn
      if (held.token?.expiresAt !== undefined) description.expiresAt = held.token.expiresAt
      description.canRefresh = held.refreshable && this.#fatal === undefined
    }
    return description
  }

  close(): void {
    this.#closed = true
    this.#timer.clear()
  }

  #start(flow: Flow): Promise<KiroToken> {
    const run: Promise<KiroToken> = this.#flow(flow).finally(() => {
      if (this.#pending === run) this.#pending = undefined
      if (this.#kick) {
        this.#kick = false
        this.#background()
      }
    })
    this.#pending = run
    this.#pendingForced = flow.force
    // Waiters attach their own handlers; this one keeps a background failure from going unhandled.
    run.catch(() => {})
    return run
  }

  #background(): void {
    if (this.#pending !== undefined || this.#fatal !== undefined || this.#now() < this.#backoff.retryAt)
      return
    this.#start({ force: false, background: true })
  }

  async #flow(flow: Flow): Promise<KiroToken> {
    // Re-read the store first: the IDE or another process may have refreshed already (docs/protocol.md §2.6).
    await this.#reload()
    const served = this.#serveWithoutRefresh(flow)
    if (served !== undefined) return served
    const held = this.#held!
    const wait = this.#backoff.retryAt - this.#now()
    if (wait > 0) {
      // Backing off after a failure: serve a live token rather than make the caller wait.
      if (!flow.force && held.token !== undefined && this.#now() < held.expiresAt) return held.token
      await sleep(wait)
    }
    return this.#store.lock === undefined ? this.#refresh(held, flow) : this.#refreshLocked(flow)
  }

  /** The held token when this flow needs no refresh; throws when none can be attempted. */
  #serveWithoutRefresh(flow: Flow): KiroToken | undefined {
    const held = this.#held!
    const now = this.#now()
    if (
      flow.force
        ? held.token !== undefined && held.token.accessToken !== flow.rejected && now < held.expiresAt
        : now < held.advisoryAt
    ) {
      return held.token!
    }
    if (!flow.force && !flow.background && held.token !== undefined && now < held.mandatoryAt) {
      // First load of a token inside the advisory window: serve it, refresh once this flow is done.
      this.#kick = held.refreshable && this.#fatal === undefined
      return held.token
    }
    if (!held.refreshable || this.#fatal !== undefined) {
      if (!flow.force && held.token !== undefined && now < held.expiresAt) return held.token
      throw this.#fatal ?? cannotRefresh(held.token?.kind === 'api_key', flow.force)
    }
    return undefined
  }

  /**
   * Read-check-refresh-write under the store's cross-process lock (docs/shared-state.md): of many
   * processes that find the token due, one refreshes; the others get the lock after it, re-read
   * the store, and adopt its login instead of spending the (possibly rotating) refresh token again.
   */
  async #refreshLocked(flow: Flow): Promise<KiroToken> {
    let lock: TokenStoreLock
    try {
      lock = await this.#store.lock!()
    } catch (cause) {
      const held = this.#held!
      if (!flow.force && held.token !== undefined && this.#now() < held.expiresAt) return held.token
      throw asCredentialsError(cause)
    }
    try {
      await this.#reload()
      return this.#serveWithoutRefresh(flow) ?? (await this.#refresh(this.#held!, flow))
    } finally {
      await lock.release().catch(() => {})
    }
  }

  async #reload(): Promise<void> {
    let stored: StoredToken | undefined
    try {
      stored = await this.#store.load()
    } catch (error) {
      // A half-written file (the IDE writing in place) must not break a login we already hold.
      if (this.#held === undefined) throw error
      return
    }
    const held = this.#held
    if (stored === undefined) {
      if (held !== undefined) return
      const { source, path } = this.#store.describe()
      throw new CredentialsError(
        'not_found',
        `No Kiro login found in ${path ?? source}. Sign in to Kiro first.`,
      )
    }
    if (held === undefined) return this.#adopt(stored)
    if (sameLogin(stored, held.stored)) return
    const newer =
      (stored.expiresAt ?? Number.POSITIVE_INFINITY) >= (held.stored.expiresAt ?? Number.NEGATIVE_INFINITY)
    if (newer || this.#fatal !== undefined) this.#adopt(stored)
  }

  async #refresh(held: HeldToken, flow: Flow): Promise<KiroToken> {
    const started = this.#now()
    let next: StoredToken
    try {
      next = await refreshStoredToken(held.stored, {
        fetch: this.#options.fetch ?? globalThis.fetch,
        timeoutMs: this.#options.refreshTimeoutMs ?? 20_000,
        endpoints: this.#options.refreshEndpoints ?? {},
        now: this.#now,
        minLifetimeMs: this.#windows.mandatoryMs,
      })
    } catch (cause) {
      const error = asCredentialsError(cause)
      this.#emit(held, started, flow.background, {
        ok: false,
        error: { code: error.code, message: error.message },
      })
      return this.#afterFailure(held, flow, error)
    }
    this.#backoff.reset()
    let adopted = next
    let writeBackError: RefreshEvent['writeBackError']
    try {
      const result = await this.#store.compareAndSwap(held.stored, next)
      // Someone else refreshed meanwhile: share their login rather than fork the session.
      if (
        !result.swapped &&
        !sameLogin(result.current, held.stored) &&
        isUsable(result.current, this.#now(), this.#windows.mandatoryMs)
      ) {
        adopted = result.current!
      }
    } catch (cause) {
      const error = asCredentialsError(cause, 'write_failed')
      writeBackError = { code: error.code, message: error.message }
    }
    this.#adopt(adopted)
    this.#emit(
      held,
      started,
      flow.background,
      writeBackError === undefined ? { ok: true } : { ok: true, writeBackError },
    )
    return this.#held!.token!
  }

  async #afterFailure(held: HeldToken, flow: Flow, error: CredentialsError): Promise<KiroToken> {
    if (error.code === 'refresh_token_invalid') {
      // kiro-cli or the IDE may have signed in again and rotated the refresh token (docs/protocol.md §2.4).
      this.#fatal = error
      await this.#reload()
      const current = this.#held!
      if (this.#fatal === undefined) {
        // A different login appeared: use it, refreshing it once if it is due too.
        if (isUsable(current.stored, this.#now(), this.#windows.mandatoryMs)) return current.token!
        if (current.refreshable) return this.#refresh(current, flow)
      }
      this.#fatal = error
    } else {
      this.#backoff.fail(this.#now())
    }
    if (!flow.force && held.token !== undefined && this.#now() < held.expiresAt) return held.token
    throw error
  }

  #adopt(stored: StoredToken): void {
    const previous = this.#held
    this.#held = holdToken(stored, this.#windows)
    if (previous !== undefined && previous.stored.refreshToken !== stored.refreshToken) {
      // A different login: whatever failed for the old refresh token says nothing about this one.
      this.#fatal = undefined
      this.#backoff.reset()
    }
    this.#arm()
  }

  #arm(): void {
    this.#timer.clear()
    const held = this.#held
    if (this.#closed || this.#options.backgroundRefresh === false || held === undefined || !held.refreshable)
      return
    if (Number.isFinite(held.advisoryAt)) this.#timer.set(held.advisoryAt - this.#now())
  }

  #onTimer(): void {
    // Only a provider in use refreshes ahead: an idle one waits for its next caller.
    if (!this.#used || this.#closed) return
    const early = this.#held!.advisoryAt - this.#now()
    // Timers may fire a little early by the clock: look again a bit later rather than skip.
    if (early > 0) {
      this.#timer.set(Math.max(early, MIN_RESCHEDULE_MS))
      return
    }
    this.#used = false
    this.#background()
  }

  #emit(
    held: HeldToken,
    started: number,
    background: boolean,
    outcome: Pick<RefreshEvent, 'ok' | 'error' | 'writeBackError'>,
  ): void {
    const hook = this.#options.onRefresh
    if (hook === undefined) return
    const event: RefreshEvent = {
      source: this.#store.describe().source,
      authMethod: effectiveAuthMethod(held.stored),
      durationMs: Math.max(0, this.#now() - started),
      background,
      ...outcome,
    }
    try {
      hook(event)
    } catch {
      // A throwing hook must not break token delivery.
    }
  }
}
