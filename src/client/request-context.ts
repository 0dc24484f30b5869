import type { AccountPool } from '../accounts/account-pool.js'
import type { CredentialsProvider, KiroToken } from '../auth/types.js'
import type { RetryScope } from '../retry/retry-policy.js'
import {
  type KiroTranslation,
  type ModelLimits,
  type ToKiroRequestOptions,
  toKiroRequest,
} from '../translate/to-kiro-request.js'
import type { KiroTimeouts } from '../transport/timeouts.js'
import type { MessageCreateParams } from '../types/anthropic-request.js'
import type { KiroEndpoint } from './endpoint.js'
import type { KiroHooks } from './hooks.js'
import type { ProfileResolver } from './profile-resolver.js'
import { PROFILE_ARN_ROOM } from './request-body.js'

/** What a client fixes at construction (its options checked, defaults filled) and its requests share. */
export interface ClientSettings {
  credentials: CredentialsProvider
  /** Where a token's requests go and the profile ARN they carry (`lookedUp`: a profile found by `profiles`). */
  endpoint: (token: KiroToken, lookedUp?: string) => KiroEndpoint
  /** Looks up the profile of a login that carries none (IdC, external identity provider; docs/protocol.md §9.1). */
  profiles?: ProfileResolver | undefined
  /** The login's own limits of a model, from its `ListAvailableModels` answer when known. */
  modelLimits?: ((kiroModelId: string) => ModelLimits | undefined) | undefined
  fetch: typeof globalThis.fetch | undefined
  machineId: string
  hooks: KiroHooks
  timeouts: Partial<KiroTimeouts>
  maxRetries: number
  retryScope: RetryScope | undefined
  maxRetryAfterMs: number | undefined
  headers: Record<string, string> | undefined
  /** The profile ARN configured on the client; the login's is spliced in per attempt otherwise. */
  profileArn: string | undefined
  modelMap: Record<string, string> | undefined
  trimHistory: boolean | undefined
  trimImages: ToKiroRequestOptions['trimImages']
  /** Bisect Kiro's unexplained 400s with probe requests (docs/protocol.md §10). */
  diagnose400?: boolean | undefined
  maxBodyBytes: number
  /** Several accounts (docs/accounts.md); undefined for a single login, whose path is unchanged. */
  pool?: AccountPool | undefined
  /** Requests of a single-login client in progress, for `accounts.list()`. */
  inFlight?: { count: number } | undefined
}

/** What one call may override (`RequestOptions` without the signal, which the stream owns). */
export interface RequestOverrides {
  timeout?: Partial<KiroTimeouts> | undefined
  maxRetries?: number | undefined
  retryScope?: RetryScope | undefined
  headers?: Record<string, string> | undefined
  /** Only these pool accounts may serve the call (a client key pinned to accounts). */
  accounts?: readonly string[] | undefined
  /** The team member the call comes from, for hooks and logs. */
  member?: string | undefined
}

/** One request, fixed before its first attempt: every attempt sends the same body bytes. */
export interface RequestContext {
  /** One id for all attempts (`amz-sdk-invocation-id`, and every hook payload). */
  readonly invocationId: string
  /** `performance.now()` when the caller asked; the total timeout and the hook timings count from it. */
  readonly startedAt: number
  readonly model: string
  readonly stopSequences: readonly string[] | undefined
  readonly translation: KiroTranslation
  readonly timeouts: Partial<KiroTimeouts>
  readonly maxRetries: number
  readonly retryScope: RetryScope | undefined
  readonly headers: Record<string, string> | undefined
  /** The pool accounts this call may use; undefined: any. */
  readonly accounts: ReadonlySet<string> | undefined
}

/**
 * Builds the context of one request: the client's settings under this call's overrides, and the
 * translation. Translating throws on bad params; the caller runs this where such a failure reaches
 * the stream and `onEnd` like any other.
 */
export function createRequestContext(
  settings: ClientSettings,
  params: MessageCreateParams,
  overrides: RequestOverrides,
  identity: { invocationId: string; startedAt: number },
): RequestContext {
  const translation = toKiroRequest(params, {
    profileArn: settings.profileArn,
    modelMap: settings.modelMap,
    // A login's ARN is added after translation: leave room for it (see request-body.ts).
    maxBodyBytes:
      settings.profileArn === undefined ? settings.maxBodyBytes - PROFILE_ARN_ROOM : settings.maxBodyBytes,
    trimHistory: settings.trimHistory,
    trimImages: settings.trimImages,
    modelLimits: settings.modelLimits,
  })
  return {
    invocationId: identity.invocationId,
    startedAt: identity.startedAt,
    model: params.model,
    stopSequences: params.stop_sequences,
    translation,
    timeouts: overrides.timeout ? { ...settings.timeouts, ...overrides.timeout } : settings.timeouts,
    maxRetries: overrides.maxRetries ?? settings.maxRetries,
    retryScope: overrides.retryScope ?? settings.retryScope,
    headers: overrides.headers ? { ...settings.headers, ...overrides.headers } : settings.headers,
    accounts: overrides.accounts === undefined ? undefined : new Set(overrides.accounts),
  }
}
