import type { RedisCommands } from './client.js'

/**
 * A Lua script run with EVALSHA, falling back to EVAL when the server does not know it yet (after
 * a restart or SCRIPT FLUSH); EVAL also caches it, so the fallback costs one round trip once.
 */
export class RedisScript {
  readonly source: string
  #sha: Promise<string> | undefined

  constructor(source: string) {
    this.source = source
  }

  /** The script's SHA-1, which EVALSHA names it by (computed with WebCrypto, once). */
  sha(): Promise<string> {
    this.#sha ??= globalThis.crypto.subtle
      .digest('SHA-1', new TextEncoder().encode(this.source))
      .then((digest) => Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join(''))
    return this.#sha
  }

  async run(redis: RedisCommands, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args]
    try {
      return await redis.send(['EVALSHA', await this.sha(), ...tail])
    } catch (error) {
      if (!isNoScript(error)) throw error
      return redis.send(['EVAL', this.source, ...tail])
    }
  }
}

function isNoScript(error: unknown): boolean {
  const message = error instanceof Error ? error.message : ''
  return message.startsWith('NOSCRIPT')
}
