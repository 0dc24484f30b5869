import { ConfigurationError } from '../errors/configuration-error.js'
import { CredentialsError } from '../errors/credentials-error.js'

const SEALED_PREFIX = 'aesgcm1:'
const IV_BYTES = 12

/**
 * How a login is kept in Redis: plain JSON by default, or sealed with AES-256-GCM (WebCrypto) under
 * a key the user supplies (docs/shared-state.md). The record's Redis key is bound in as additional
 * data, so a sealed login copied under another account's key does not open.
 */
export class SecretBox {
  readonly #key: Promise<CryptoKey> | undefined

  /** Throws a `ConfigurationError` for a key that is not 32 bytes or an AES-GCM `CryptoKey`. */
  constructor(key: Uint8Array | CryptoKey | undefined) {
    this.#key = key === undefined ? undefined : importKey(checkKey(key))
    // A key WebCrypto refuses is reported by the first seal or open, not as an unhandled rejection.
    this.#key?.catch(() => {})
  }

  get encrypts(): boolean {
    return this.#key !== undefined
  }

  async seal(plain: string, binding: string): Promise<string> {
    if (this.#key === undefined) return plain
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES))
    const sealed = await globalThis.crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: utf8(binding) },
      await this.#key,
      utf8(plain),
    )
    return SEALED_PREFIX + toBase64(concat(iv, new Uint8Array(sealed)))
  }

  async open(stored: string, binding: string): Promise<string> {
    if (!stored.startsWith(SEALED_PREFIX)) {
      // Plain records stay readable, so encryption can be turned on without a migration; the next
      // write seals them.
      return stored
    }
    if (this.#key === undefined) {
      throw new CredentialsError(
        'invalid_credentials',
        `${binding}: the login in Redis is encrypted and no encryptionKey was given to createRedisState.`,
      )
    }
    try {
      const bytes = fromBase64(stored.slice(SEALED_PREFIX.length))
      const plain = await globalThis.crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES), additionalData: utf8(binding) },
        await this.#key,
        bytes.subarray(IV_BYTES),
      )
      return new TextDecoder().decode(plain)
    } catch {
      throw new CredentialsError(
        'invalid_credentials',
        `${binding}: the login in Redis does not decrypt with the given encryptionKey (another key, or altered).`,
      )
    }
  }
}

/**
 * Identifies a login (access token, refresh token, API key) without holding it: SHA-256, so that
 * compare-and-swap runs in Redis even when the record itself is sealed.
 */
export async function loginFingerprint(token: {
  accessToken?: string | undefined
  refreshToken?: string | undefined
  apiKey?: string | undefined
}): Promise<string> {
  const text = `${token.accessToken ?? ''}\n${token.refreshToken ?? ''}\n${token.apiKey ?? ''}`
  const digest = await globalThis.crypto.subtle.digest('SHA-256', utf8(text))
  return toBase64(new Uint8Array(digest))
}

function checkKey(key: Uint8Array | CryptoKey): Uint8Array<ArrayBuffer> | CryptoKey {
  if (key instanceof Uint8Array) {
    if (key.byteLength !== 32) {
      throw new ConfigurationError(
        'encryptionKey',
        `expected 32 bytes (AES-256), got ${key.byteLength}; make one with crypto.getRandomValues(new Uint8Array(32))`,
      )
    }
    return new Uint8Array(key)
  }
  const algorithm = (key as { algorithm?: { name?: unknown } } | null)?.algorithm
  if (algorithm?.name !== 'AES-GCM') {
    throw new ConfigurationError('encryptionKey', 'expected 32 raw bytes or an AES-GCM CryptoKey')
  }
  return key
}

async function importKey(key: Uint8Array<ArrayBuffer> | CryptoKey): Promise<CryptoKey> {
  if (!(key instanceof Uint8Array)) return key
  return globalThis.crypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt', 'decrypt'])
}

function utf8(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text)
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength)
  out.set(a)
  out.set(b, a.byteLength)
  return out
}

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text)
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}
