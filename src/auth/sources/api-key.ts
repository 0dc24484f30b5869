import { CredentialsError } from '../../errors/credentials-error.js'
import { throwIfAborted } from '../../util/abort.js'
import { registerSecret } from '../../util/redact.js'
import type { CredentialsDescription, CredentialsProvider, GetTokenOptions, KiroToken } from '../types.js'

/** Kiro API keys start with this (docs/protocol.md §2.2 `kiroApiKey`). */
export const API_KEY_PREFIX = 'ksk_'

/**
 * A static Kiro API key (`ksk_…`): sent as the bearer with `tokentype: API_KEY`, never refreshed.
 * Throws a `CredentialsError` (`invalid_credentials`) if the key does not look like one.
 */
export class ApiKeyCredentials implements CredentialsProvider {
  readonly #token: KiroToken
  readonly #resolved: Promise<KiroToken>
  readonly #source: string

  constructor(apiKey: string, options: { source?: string } = {}) {
    if (
      typeof apiKey !== 'string' ||
      !apiKey.startsWith(API_KEY_PREFIX) ||
      apiKey.length <= API_KEY_PREFIX.length
    ) {
      throw new CredentialsError(
        'invalid_credentials',
        `apiKey: expected a Kiro API key starting with "${API_KEY_PREFIX}".`,
      )
    }
    if (/\s/.test(apiKey)) {
      throw new CredentialsError(
        'invalid_credentials',
        'apiKey: contains whitespace; copy the key again without spaces or newlines.',
      )
    }
    registerSecret(apiKey)
    this.#token = Object.freeze({ accessToken: apiKey, kind: 'api_key', authMethod: 'api_key' })
    this.#resolved = Promise.resolve(this.#token)
    this.#source = options.source ?? 'api-key'
  }

  getToken(options?: GetTokenOptions): Promise<KiroToken> {
    if (options?.signal?.aborted) {
      try {
        throwIfAborted(options.signal)
      } catch (error) {
        return Promise.reject(error)
      }
    }
    return this.#resolved
  }

  async invalidate(_rejected: KiroToken, options?: GetTokenOptions): Promise<KiroToken> {
    throwIfAborted(options?.signal)
    throw new CredentialsError(
      'invalid_credentials',
      'Kiro rejected the API key, and API keys cannot be refreshed. Check the key, or create a new one.',
    )
  }

  describe(): CredentialsDescription {
    return { source: this.#source, authMethod: 'api_key', canRefresh: false }
  }

  close(): void {}
}
