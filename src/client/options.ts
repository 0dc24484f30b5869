import {
  ACCOUNT_SELECTIONS,
  type AccountOptions,
  type AccountSelection,
  checkAccountOptions,
} from '../accounts/account-options.js'
import type { RefreshEndpoints } from '../auth/refresh/endpoints.js'
import type { CredentialsInput } from '../auth/resolve-credentials.js'
import { API_KEY_PREFIX } from '../auth/sources/api-key.js'
import { ConfigurationError } from '../errors/configuration-error.js'
import {
  checkInstrumentation,
  checkLogger,
  checkLogLevel,
  checkMeterProvider,
  checkTracerProvider,
  type ObservabilityOptions,
} from '../observability/options.js'
import type { RetryScope } from '../retry/retry-policy.js'
import type { State } from '../state/types.js'
import type { ToKiroRequestOptions } from '../translate/to-kiro-request.js'
import type { KiroTimeouts } from '../transport/timeouts.js'
import { DEFAULT_REGION, resolveBaseURL } from './endpoint.js'
import { HOOK_NAMES, type KiroHooks } from './hooks.js'
import * as check from './option-checks.js'
import { PROFILE_ARN_ROOM } from './request-body.js'

/**
 * Options of {@link KiroClient}. Every one is optional. `tracerProvider`, `meterProvider`,
 * `instrumentation`, `logLevel` and `logger` are described in docs/observability.md.
 */
export interface KiroClientOptions extends ObservabilityOptions {
  /**
   * A credentials provider, static credentials, `{ apiKey: 'ksk_…' }`, `{ tokenFile }` or
   * `{ kiroCliDb }`. @defaultValue the Kiro login found on this machine (see the README's lookup order)
   */
  credentials?: CredentialsInput | undefined
  /**
   * Several Kiro logins behind this client, instead of `credentials` (docs/accounts.md): each
   * request goes to one ready account; one that fails for a reason of its own is parked and the
   * request moves on. `region`, `baseURL`, `profileArn` and `fetch` are their defaults.
   */
  accounts?: readonly AccountOptions[] | undefined
  /** How a request's account is picked. @defaultValue 'sticky' */
  accountSelection?: AccountSelection | undefined
  /**
   * Where the pool keeps account statuses, concurrency slots, sticky routes and shared logins.
   * @defaultValue a `MemoryState` of this client; `kiro-client/redis` shares one between processes
   */
  state?: State | undefined
  /** Requests that may wait for a free account slot; the next gets 529 `overloaded_error`. @defaultValue 100 */
  maxQueuedRequests?: number | undefined
  /**
   * A Kiro API key (`ksk_…`): the same as `credentials: { apiKey }`, under the name the Anthropic
   * SDK uses. Not an Anthropic key. Give it or `credentials`, not both.
   */
  apiKey?: string | undefined
  /**
   * API region. @defaultValue the region of the profile ARN, else `us-east-1`
   */
  region?: string | undefined
  /** @defaultValue `https://q.{region}.amazonaws.com`; plain `http` only for loopback hosts */
  baseURL?: string | undefined
  /** Sent as `profileArn`. @defaultValue the token's profile ARN, when it has one */
  profileArn?: string | undefined
  /** @defaultValue `globalThis.fetch`, looked up at call time */
  fetch?: typeof globalThis.fetch | undefined
  /**
   * In ms. A number is the Anthropic SDK's meaning: the time allowed until the response headers
   * (our `response` limit). @defaultValue `{ response: 60_000, idle: 120_000 }` and no total
   */
  timeout?: number | Partial<KiroTimeouts> | undefined
  /** Retries after the first attempt, only before the first event reaches the caller. @defaultValue 3 */
  maxRetries?: number | undefined
  /**
   * Which failures are retried: `all` retryable ones, or only `transient` faults (a lost connection,
   * a timeout, a 5xx), leaving throttling to the caller, who gets the wait on the error
   * (`retryAfterMs`). @defaultValue `'all'`
   */
  retryScope?: RetryScope | undefined
  /** The longest `Retry-After` honoured; a longer demanded wait fails at once. @defaultValue 60_000 */
  maxRetryAfterMs?: number | undefined
  hooks?: KiroHooks | undefined
  /** Added to every Kiro request (after the protocol headers, so they can override them). */
  defaultHeaders?: Record<string, string> | undefined
  /** Anthropic model name -> Kiro model id, consulted before the built-in table. */
  modelMap?: Record<string, string> | undefined
  /** Drop the oldest whole turns of an oversize conversation instead of failing (after `trimImages`). @defaultValue false */
  trimHistory?: boolean | undefined
  /**
   * Over the size limit, first replace the images of older user messages (all but the last
   * `keepTurns`, 3 with `true`) with a short note, oldest first, only as many as needed.
   * @defaultValue false (`kiro-client serve`: on)
   */
  trimImages?: ToKiroRequestOptions['trimImages']
  /**
   * On Kiro's "Improperly formed request." with no rule the shape checker knows, find the message
   * (or tool) Kiro refuses by sending it shorter conversations (a few extra requests, each cancelled
   * once accepted) and say where in the error (docs/protocol.md §10). @defaultValue false
   */
  diagnose400?: boolean | undefined
  /**
   * Largest serialized Kiro body. When the profile ARN comes from the login rather than
   * `profileArn`, 256 bytes of it are kept free for the ARN, which is added after translation.
   * @defaultValue 600_000 (Kiro's measured limit)
   */
  maxBodyBytes?: number | undefined
  /** 64-hex machine id for the user-agent, or a seed to derive one from. @defaultValue derived from host and user */
  machineId?: string | undefined
  /** Token refresh endpoints (tests, other regions). */
  refreshEndpoints?: RefreshEndpoints | undefined
}

/** Per-request options. */
export interface RequestOptions {
  /** Aborts the request, the body read, retry waits and token refresh. */
  signal?: AbortSignal | undefined
  /** Overrides the client's timeouts for this request; a number sets `response`, as on the client. */
  timeout?: number | Partial<KiroTimeouts> | undefined
  maxRetries?: number | undefined
  /** Which failures are retried, for this request (see the client option). */
  retryScope?: RetryScope | undefined
  /** Extra headers for this request's Kiro calls. */
  headers?: Record<string, string> | undefined
  /** Only these pool accounts may serve this request (a client key pinned to accounts). */
  accounts?: readonly string[] | undefined
  /** Who the request is for (a team member's name): passed to the hooks, never to Kiro. */
  member?: string | undefined
}

/** Client options once checked: `apiKey` folded into `credentials`, `timeout` always an object. */
export type CheckedClientOptions = Omit<KiroClientOptions, 'apiKey' | 'timeout'> & {
  timeout?: Partial<KiroTimeouts> | undefined
}

/** Request options once checked: `timeout` always an object. */
export type CheckedRequestOptions = Omit<RequestOptions, 'timeout'> & {
  timeout?: Partial<KiroTimeouts> | undefined
}

/** One row per option. A field added to the options interface without a row here does not compile. */
type OptionTable<T> = { readonly [K in keyof Required<T>]: check.Check<unknown> }

/**
 * Every option of `new KiroClient()` and how it is checked. Anything else is refused as unknown:
 * a misspelt option in plain JavaScript must not silently do nothing. To add an option, add it to
 * {@link KiroClientOptions} and give it a row here.
 */
const CLIENT_OPTIONS: OptionTable<KiroClientOptions> = {
  credentials: check.object, // its content: resolveCredentials (CredentialsError, naming the field)
  apiKey: kiroApiKey,
  region: check.region,
  baseURL: checkBaseURL,
  profileArn: check.nonEmptyString,
  fetch: check.fn,
  timeout: check.timeout,
  maxRetries: check.nonNegativeInteger,
  retryScope: checkRetryScope,
  maxRetryAfterMs: check.nonNegativeMs,
  hooks: checkHooks,
  defaultHeaders: check.headers,
  modelMap: check.stringRecord,
  trimHistory: check.boolean,
  trimImages: checkTrimImages,
  diagnose400: check.boolean,
  maxBodyBytes: check.integerAbove(PROFILE_ARN_ROOM),
  machineId: check.nonEmptyString,
  refreshEndpoints: checkRefreshEndpoints,
  accounts: (value, field) => checkAccountOptions(value, field), // credentials: as above, per account
  accountSelection: checkAccountSelection,
  state: checkState,
  maxQueuedRequests: check.nonNegativeInteger,
  tracerProvider: checkTracerProvider,
  meterProvider: checkMeterProvider,
  instrumentation: checkInstrumentation,
  logLevel: checkLogLevel,
  logger: checkLogger,
}

/** Every per-request option (`messages.create/stream/countTokens`, `models.list`). */
const REQUEST_OPTIONS: OptionTable<RequestOptions> = {
  signal: check.abortSignal,
  timeout: check.timeout,
  maxRetries: check.nonNegativeInteger,
  retryScope: checkRetryScope,
  headers: check.headers,
  accounts: checkAccountIds,
  member: check.nonEmptyString,
}

/** Options of the Anthropic SDK that people carry over, with what to do instead. */
const ANTHROPIC_ONLY: Readonly<Record<string, string>> = {
  authToken: 'Kiro logins are given as `credentials` (or a Kiro API key as `apiKey`)',
  defaultQuery: 'Kiro requests take no query parameters',
  fetchOptions: 'pass a `fetch` that adds them instead',
  dangerouslyAllowBrowser: 'this client sends a Kiro token, which must not reach a browser',
}

function checkRetryScope(value: unknown, field: string): RetryScope {
  if (value === 'all' || value === 'transient') return value
  throw new ConfigurationError(field, `must be 'all' or 'transient', got ${JSON.stringify(value)}.`)
}

function checkTrimImages(value: unknown, field: string): ToKiroRequestOptions['trimImages'] {
  if (typeof value === 'boolean') return value
  const given = check.object(value, field)
  for (const key of Object.keys(given)) {
    if (key !== 'keepTurns')
      throw new ConfigurationError(`${field}.${key}`, 'unknown option (the option is keepTurns).')
  }
  const keepTurns = given['keepTurns']
  if (keepTurns !== undefined && !(Number.isInteger(keepTurns) && (keepTurns as number) >= 1)) {
    throw new ConfigurationError(
      `${field}.keepTurns`,
      `must be a whole number of at least 1, got ${JSON.stringify(keepTurns)}.`,
    )
  }
  return given as { keepTurns?: number }
}

function kiroApiKey(value: unknown, field: string): string {
  const key = check.nonEmptyString(value, field)
  if (key.startsWith('sk-ant-')) {
    throw new ConfigurationError(
      field,
      'this is an Anthropic API key; Kiro needs a Kiro API key (ksk_…) or a login.',
    )
  }
  if (!key.startsWith(API_KEY_PREFIX)) {
    throw new ConfigurationError(field, `expected a Kiro API key starting with "${API_KEY_PREFIX}".`)
  }
  return key
}

/** Fails now, not at the first request; the URL is kept as given (the region fills in later). */
function checkBaseURL(value: unknown, field: string): string {
  const url = check.nonEmptyString(value, field)
  resolveBaseURL(url, DEFAULT_REGION)
  return url
}

function checkAccountSelection(value: unknown, field: string): AccountSelection {
  if (!ACCOUNT_SELECTIONS.includes(value as AccountSelection)) {
    throw new ConfigurationError(
      field,
      `must be one of ${ACCOUNT_SELECTIONS.map((name) => `"${name}"`).join(', ')}.`,
    )
  }
  return value as AccountSelection
}

function checkState(value: unknown, field: string): State {
  const state = check.object(value, field)
  for (const name of [
    'tokenStore',
    'lock',
    'snapshot',
    'setStatus',
    'acquireSlot',
    'renewSlot',
    'releaseSlot',
    'setSticky',
  ]) {
    if (typeof state[name] !== 'function')
      throw new ConfigurationError(field, `must implement State (no ${name}()).`)
  }
  return state as unknown as State
}

function checkAccountIds(value: unknown, field: string): readonly string[] {
  if (!Array.isArray(value) || !value.every((id) => typeof id === 'string')) {
    throw new ConfigurationError(field, 'must be an array of account ids.')
  }
  return value as string[]
}

function checkRefreshEndpoints(value: unknown, field: string): RefreshEndpoints {
  const endpoints = check.object(value, field)
  for (const name of Object.keys(endpoints)) {
    if (name !== 'social' && name !== 'idc') {
      throw new ConfigurationError(`${field}.${name}`, 'unknown endpoint; the endpoints are social and idc.')
    }
    if (endpoints[name] !== undefined) check.nonEmptyString(endpoints[name], `${field}.${name}`)
  }
  return endpoints as RefreshEndpoints
}

function checkHooks(value: unknown, field: string): KiroHooks {
  const hooks = check.object(value, field)
  for (const name of Object.keys(hooks)) {
    if (!(HOOK_NAMES as readonly string[]).includes(name)) {
      throw new ConfigurationError(
        `${field}.${name}`,
        `unknown hook; the hooks are ${HOOK_NAMES.join(', ')}.`,
      )
    }
    if (hooks[name] !== undefined) check.fn(hooks[name], `${field}.${name}`)
  }
  return hooks as KiroHooks
}

/** Edit distance, for names of a few dozen characters at most. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row.push(
        Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)),
      )
    }
    previous = row
  }
  return previous[b.length]!
}

/** The known option meant by a misspelling: `max_retries`, `MaxRetries`, `maxRetires`. */
function didYouMean(key: string, known: readonly string[]): string | undefined {
  const plain = key.replace(/[_-]/g, '').toLowerCase()
  if (plain.length > 64) return undefined
  return known.find(
    (name) => name.toLowerCase() === plain || (plain.length >= 5 && distance(name.toLowerCase(), plain) <= 2),
  )
}

function checkAgainst(table: Readonly<Record<string, check.Check<unknown>>>, input: unknown, what: string) {
  if (input === undefined) return {}
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigurationError(what, `must be an object, got ${input === null ? 'null' : typeof input}.`)
  }
  const out: Record<string, unknown> = {}
  const given = input as Record<string, unknown>
  for (const key of Object.keys(given)) {
    const rule = Object.hasOwn(table, key) ? table[key] : undefined
    if (rule === undefined) {
      const known = Object.keys(table)
      const near = didYouMean(key, known)
      const advice = near
        ? `did you mean ${near}?`
        : (ANTHROPIC_ONLY[key] ?? `the ${what} are ${known.join(', ')}`)
      throw new ConfigurationError(key, `unknown option (${advice}).`)
    }
    if (given[key] !== undefined) out[key] = rule(given[key], key)
  }
  return out
}

/**
 * Checks the options of `new KiroClient()` once, at construction: every field named in the error
 * (`ConfigurationError`), unknown ones refused. Returns them normalized.
 */
export function checkClientOptions(input: unknown): CheckedClientOptions {
  const options = checkAgainst(CLIENT_OPTIONS, input, 'options') as KiroClientOptions
  const { apiKey, ...rest } = options
  if (options.accounts !== undefined && (options.credentials !== undefined || apiKey !== undefined)) {
    throw new ConfigurationError('accounts', 'give either credentials (or apiKey) or accounts, not both.')
  }
  if (apiKey === undefined) return rest as CheckedClientOptions
  if (options.credentials !== undefined) {
    throw new ConfigurationError('apiKey', 'give either apiKey or credentials, not both.')
  }
  return { ...rest, credentials: { apiKey } } as CheckedClientOptions
}

/** Checks the per-request options of one call, as {@link checkClientOptions} does the client's. */
export function checkRequestOptions(input: unknown): CheckedRequestOptions {
  return checkAgainst(REQUEST_OPTIONS, input, 'request options') as CheckedRequestOptions
}
