import { jsonReply, type RecordedRequest, type SimulatorReply, stringAt } from './records.js'

/** The login the simulator accepts; refreshes rotate both tokens. */
export interface SimulatorTokens {
  accessToken: string
  refreshToken: string
  /** When set, the IdC endpoint checks `clientId` / `clientSecret` too. */
  clientId?: string
  clientSecret?: string
  /** `expiresIn` of refresh answers, seconds. @defaultValue 3600 */
  expiresIn?: number
  /**
   * `EXTERNAL_IDP`: API calls must carry `tokentype: EXTERNAL_IDP` (an external identity provider
   * login, docs/protocol.md §9.2); without it they are refused as Kiro does.
   */
  tokenType?: 'EXTERNAL_IDP'
}

// Kiro's answer to an expired or unknown bearer (docs/protocol.md §4.3, KRS).
const INVALID_TOKEN = 'The bearer token included in the request is invalid.'

const randomSuffix = () => crypto.randomUUID().replaceAll('-', '')

/**
 * The bearer check and the two refresh endpoints (docs/protocol.md §2.3 social, §2.4 IdC). With no
 * tokens configured any bearer passes and any refresh token is exchanged.
 */
export class SimulatedAuth {
  readonly #failures: { status: number; body: unknown }[] = []
  readonly #profileArn: string | undefined
  #tokens: SimulatorTokens | undefined
  #revoked = false
  #rotations = 0

  constructor(tokens: SimulatorTokens | undefined, profileArn: string | undefined) {
    this.#tokens = tokens ? { ...tokens } : undefined
    this.#profileArn = profileArn
  }

  get tokens(): Readonly<SimulatorTokens> | undefined {
    return this.#tokens
  }

  revoke(): void {
    this.#revoked = true
  }

  failNextRefresh(answer: { status: number; body: unknown }): void {
    this.#failures.push(answer)
  }

  /** A 403 when the bearer is not the current access token; undefined when it passes. */
  check(record: RecordedRequest): SimulatorReply | undefined {
    if (!this.#tokens) return undefined
    const { authorization, tokentype } = record.headers as { authorization?: string; tokentype?: string }
    const typed = this.#tokens.tokenType === undefined || tokentype === this.#tokens.tokenType
    if (!this.#revoked && typed && authorization === `Bearer ${this.#tokens.accessToken}`) return undefined
    return jsonReply(403, { message: INVALID_TOKEN }, { 'x-amzn-errortype': 'AccessDeniedException' })
  }

  /**
   * An external identity provider's OAuth token endpoint (docs/protocol.md §9.2): a form-encoded
   * `refresh_token` grant of a public client, answered in OAuth's snake_case names.
   */
  refreshExternal(record: RecordedRequest): SimulatorReply {
    const failure = this.#failures.shift()
    if (failure) return jsonReply(failure.status, failure.body)
    const form = new URLSearchParams(record.body)
    if ((record.headers['content-type'] ?? '').split(';')[0] !== 'application/x-www-form-urlencoded') {
      return jsonReply(400, { error: 'invalid_request', error_description: 'expected a form body' })
    }
    if (form.get('grant_type') !== 'refresh_token') {
      return jsonReply(400, {
        error: 'unsupported_grant_type',
        error_description: 'grant_type must be refresh_token',
      })
    }
    const tokens = this.#tokens
    if (tokens?.clientId !== undefined && form.get('client_id') !== tokens.clientId) {
      return jsonReply(401, { error: 'invalid_client', error_description: 'Unknown client' })
    }
    const refreshToken = form.get('refresh_token')
    if (!refreshToken || (tokens && refreshToken !== tokens.refreshToken)) {
      return jsonReply(400, { error: 'invalid_grant', error_description: 'The refresh token has expired.' })
    }
    const next = this.#rotate()
    return jsonReply(200, {
      token_type: 'Bearer',
      scope: form.get('scope') ?? '',
      access_token: next.accessToken,
      refresh_token: next.refreshToken,
      expires_in: tokens?.expiresIn ?? 3600,
    })
  }

  #rotate(): SimulatorTokens {
    this.#rotations += 1
    const tokens = this.#tokens
    const next: SimulatorTokens = {
      ...tokens,
      accessToken: `sim-access-${this.#rotations}-${randomSuffix()}`,
      refreshToken: `sim-refresh-${this.#rotations}-${randomSuffix()}`,
    }
    if (tokens) this.#tokens = next
    this.#revoked = false
    return next
  }

  /** Answers a refresh call; errors are OAuth-shaped (`invalid_grant`), as clients expect (§2.4). */
  refresh(record: RecordedRequest): SimulatorReply {
    const failure = this.#failures.shift()
    if (failure) return jsonReply(failure.status, failure.body)
    const body = record.json
    const idc = record.kind === 'refresh-idc'
    if (idc && stringAt(body, 'grantType') !== 'refresh_token') {
      return jsonReply(400, {
        error: 'unsupported_grant_type',
        error_description: 'grantType must be refresh_token',
      })
    }
    const tokens = this.#tokens
    if (idc && tokens?.clientId !== undefined) {
      if (
        stringAt(body, 'clientId') !== tokens.clientId ||
        stringAt(body, 'clientSecret') !== tokens.clientSecret
      ) {
        return jsonReply(401, { error: 'invalid_client', error_description: 'Invalid client credentials' })
      }
    }
    const refreshToken = stringAt(body, 'refreshToken')
    if (!refreshToken || (tokens && refreshToken !== tokens.refreshToken)) {
      return jsonReply(400, { error: 'invalid_grant', error_description: 'Invalid refresh token provided' })
    }
    const next = this.#rotate()
    const answer = {
      accessToken: next.accessToken,
      refreshToken: next.refreshToken,
      expiresIn: tokens?.expiresIn ?? 3600,
    }
    if (idc) return jsonReply(200, { ...answer, tokenType: 'Bearer' })
    return jsonReply(200, this.#profileArn ? { ...answer, profileArn: this.#profileArn } : answer)
  }
}
