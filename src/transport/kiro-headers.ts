import type { KiroToken } from '../auth/types.js'
import { runtimeInfo } from './runtime-info.js'

/** Kiro IDE version the user-agent claims; A2A pins this one as working for social and IdC logins. */
export const DEFAULT_KIRO_VERSION = '0.11.63'
/** The JS SDK version the Kiro IDE's user-agent carries (docs/protocol.md §1.3). */
const DEFAULT_SDK_VERSION = '1.0.34'

/** Which service and wire binding a request targets (docs/protocol.md §1.1, §1.5). */
export type KiroOperation =
  | 'generateAssistantResponse'
  | 'listAvailableModels'
  | 'listAvailableProfiles'
  | 'getUsageLimits'
  | 'mcp'

/**
 * What the bearer is: a login's access token, a Kiro API key (`tokentype: API_KEY`), or the access
 * token of an external identity provider login (`tokentype: EXTERNAL_IDP`; docs/protocol.md §9.2).
 */
export type TokenKind = 'bearer' | 'api_key' | 'external_idp'

/** The {@link TokenKind} of a token: its `kind`, or `external_idp` for external identity provider logins. */
export function tokenKindOf(token: Pick<KiroToken, 'kind' | 'authMethod'>): TokenKind {
  return token.authMethod === 'external_idp' ? 'external_idp' : token.kind
}

export interface KiroHeadersOptions {
  /** The access token, or a `ksk_…` Kiro API key. */
  token: string
  /**
   * `api_key` adds `tokentype: API_KEY`, `external_idp` adds `tokentype: EXTERNAL_IDP` (use
   * {@link tokenKindOf}). @defaultValue `api_key` for `ksk_` tokens, else `bearer`
   */
  tokenKind?: TokenKind | undefined
  /** 1-based attempt number, for `amz-sdk-request`. */
  attempt: number
  /** Attempts allowed in all (retries + 1), for `amz-sdk-request`. */
  maxAttempts: number
  /** 64-hex id from {@link machineId}. */
  machineId: string
  /** One id for all attempts of a request. @defaultValue a new UUID v4 */
  invocationId?: string | undefined
  /** @defaultValue 'generateAssistantResponse' */
  operation?: KiroOperation | undefined
  /**
   * `rest-json` posts to `/generateAssistantResponse` as `application/json` (what the IDE does);
   * `aws-json` posts to `/` as `application/x-amz-json-1.0` with `x-amz-target` (the newer
   * `runtime.{region}.kiro.dev` host). @defaultValue 'rest-json'
   */
  binding?: 'rest-json' | 'aws-json' | undefined
  /** `x-amzn-kiro-agent-mode`. @defaultValue 'vibe' */
  agentMode?: string | undefined
  /** `x-amzn-codewhisperer-optout`: opt out of data sharing. @defaultValue true, false for `mcp` */
  optOut?: boolean | undefined
  /** @defaultValue {@link DEFAULT_KIRO_VERSION} */
  kiroVersion?: string | undefined
  /** @defaultValue {@link DEFAULT_SDK_VERSION} */
  sdkVersion?: string | undefined
}

/** The headers of one Kiro request; `Record`-compatible, so it goes to `fetch` as it is. */
export interface KiroRequestHeaders {
  [name: string]: string
  authorization: string
  accept: string
  'amz-sdk-invocation-id': string
  'amz-sdk-request': string
  'x-amzn-codewhisperer-optout': string
  'x-amz-user-agent': string
  'user-agent': string
  'x-amzn-kiro-agent-mode'?: string
  'content-type'?: string
  'x-amz-target'?: string
  tokentype?: string
}

const TARGETS: Record<KiroOperation, string | undefined> = {
  generateAssistantResponse: 'AmazonCodeWhispererStreamingService.GenerateAssistantResponse',
  listAvailableModels: 'AmazonCodeWhispererService.ListAvailableModels',
  listAvailableProfiles: 'AmazonCodeWhispererService.ListAvailableProfiles',
  getUsageLimits: 'AmazonCodeWhispererService.GetUsageLimits',
  // JSON-RPC over `POST /mcp`: no target (docs/protocol.md §9.5).
  mcp: undefined,
}

const API_NAMES: Record<KiroOperation, string> = {
  generateAssistantResponse: 'codewhispererstreaming',
  listAvailableModels: 'codewhispererruntime',
  listAvailableProfiles: 'codewhispererruntime',
  getUsageLimits: 'codewhispererruntime',
  // The IDE's MCP calls carry the streaming client's user agent (docs/protocol.md §9.5).
  mcp: 'codewhispererstreaming',
}

/**
 * The request headers of docs/protocol.md §1.3, as the Kiro IDE sends them: bearer token,
 * `amz-sdk-invocation-id`, `amz-sdk-request: attempt=N; max=M`, opt-out, agent mode, and the
 * KiroIDE `user-agent` / `x-amz-user-agent` with the machine id. Hop-by-hop headers
 * (`Connection`, `Host`) are left to fetch, which keeps connections alive.
 *
 * The result holds the token: never log it, never copy it into an error.
 */
export function kiroHeaders(options: KiroHeadersOptions): KiroRequestHeaders {
  const operation = options.operation ?? 'generateAssistantResponse'
  const binding = options.binding ?? 'rest-json'
  const kind = options.tokenKind ?? (options.token.startsWith('ksk_') ? 'api_key' : 'bearer')
  const sdk = options.sdkVersion ?? DEFAULT_SDK_VERSION
  const ide = `KiroIDE-${options.kiroVersion ?? DEFAULT_KIRO_VERSION}-${options.machineId}`
  const runtime = runtimeInfo()
  const api = API_NAMES[operation]

  const headers: KiroRequestHeaders = {
    authorization: `Bearer ${options.token}`,
    accept: 'application/json',
    'amz-sdk-invocation-id': options.invocationId ?? crypto.randomUUID(),
    'amz-sdk-request': `attempt=${options.attempt}; max=${options.maxAttempts}`,
    // The MCP endpoint answers 403 unless the caller opts in (docs/protocol.md §9.5).
    'x-amzn-codewhisperer-optout': String(options.optOut ?? operation !== 'mcp'),
    'x-amz-user-agent': `aws-sdk-js/${sdk} ${ide}`,
    ...(kind === 'api_key'
      ? { tokentype: 'API_KEY' }
      : kind === 'external_idp'
        ? { tokentype: 'EXTERNAL_IDP' }
        : {}),
    'user-agent':
      `aws-sdk-js/${sdk} ua/2.1 os/${runtime.os}#${runtime.osRelease} lang/js md/nodejs#${runtime.nodeVersion} ` +
      `api/${api}#${sdk} m/E ${ide}`,
  }
  if (operation === 'generateAssistantResponse' || operation === 'mcp') {
    headers['x-amzn-kiro-agent-mode'] = options.agentMode ?? 'vibe'
  }
  const target = TARGETS[operation]
  if (operation === 'listAvailableProfiles' || (binding === 'aws-json' && target !== undefined)) {
    // ListAvailableProfiles exists only in the awsJson binding (docs/protocol.md §9.1).
    headers['content-type'] = 'application/x-amz-json-1.0'
    headers['x-amz-target'] = target as string
  } else if (operation === 'generateAssistantResponse' || operation === 'mcp') {
    headers['content-type'] = 'application/json'
  }
  return headers
}
