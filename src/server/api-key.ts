/**
 * The key a client presented, from either auth header the Anthropic clients use
 * (anthropic-compat.md §0 item 2): `x-api-key` (SDK 0.x, Claude Code with `ANTHROPIC_API_KEY`) or
 * `Authorization: Bearer` (SDK 1.x, `ANTHROPIC_AUTH_TOKEN`).
 */
export function presentedApiKey(headers: Headers): string | undefined {
  const apiKey = headers.get('x-api-key')
  if (apiKey) return apiKey
  const authorization = headers.get('authorization')
  if (authorization === null) return undefined
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim())
  return match?.[1]
}

/**
 * Compares a presented key with the expected one in time that depends on neither: both go through
 * SHA-256 first (Web Crypto, so this runs on Node, Bun, Deno and edge runtimes alike), and the
 * fixed-length digests are compared without an early exit.
 */
export function createKeyCheck(expected: string): (presented: string | undefined) => Promise<boolean> {
  const expectedDigest = digest(expected)
  return async (presented) => {
    // Hash something even when nothing was presented, so a missing key takes the same time.
    const [want, got] = await Promise.all([expectedDigest, digest(presented ?? '')])
    let difference = presented === undefined ? 1 : 0
    for (let i = 0; i < want.length; i++) difference |= (want[i] ?? 0) ^ (got[i] ?? 0)
    return difference === 0
  }
}

async function digest(text: string): Promise<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes))
}
