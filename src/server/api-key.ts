import { registerSecret } from '../util/redact.js'

/**
 * The keys a client presented, from both auth headers the Anthropic clients use
 * (docs/compatibility.md §0 item 2): `x-api-key` (SDK 0.x, Claude Code with `ANTHROPIC_API_KEY`) and
 * `Authorization: Bearer` (SDK 1.x, `ANTHROPIC_AUTH_TOKEN`). Both count: Claude Code sends both
 * when both variables are set, and a user's everyday `ANTHROPIC_API_KEY` must not hide the proxy
 * key given as `ANTHROPIC_AUTH_TOKEN`.
 */
export function presentedApiKeys(headers: Headers): string[] {
  const keys: string[] = []
  const apiKey = headers.get('x-api-key')
  if (apiKey) keys.push(apiKey)
  const authorization = headers.get('authorization')
  const bearer = authorization === null ? undefined : /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1]
  if (bearer !== undefined) keys.push(bearer)
  return keys
}

/**
 * Checks presented keys against the expected one in time that depends on neither: each goes
 * through SHA-256 first (Web Crypto, so this runs on Node, Bun, Deno and edge runtimes alike), and
 * the fixed-length digests are compared without an early exit. True when any presented key matches.
 */
export function createKeyCheck(expected: string): (presented: readonly string[]) => Promise<boolean> {
  registerSecret(expected)
  const expectedDigest = digest(expected)
  return async (presented) => {
    const want = await expectedDigest
    // Hash something even when nothing was presented, so a missing key takes the same time.
    const candidates = presented.length === 0 ? [undefined] : presented
    let matched = false
    for (const candidate of candidates) {
      const got = await digest(candidate ?? '')
      let difference = candidate === undefined ? 1 : 0
      for (let i = 0; i < want.length; i++) difference |= (want[i] ?? 0) ^ (got[i] ?? 0)
      // No short cut on a match either: every presented key is hashed and compared.
      matched = matched || difference === 0
    }
    return matched
  }
}

async function digest(text: string): Promise<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes))
}

/**
 * The message the Anthropic API gives a request whose key it refused, by how the key came:
 * `invalid x-api-key` (checked first when both headers came), `Invalid bearer token`, or
 * `x-api-key header is required` when none did. Claude Code reads them: a message naming
 * `x-api-key` shows as "Invalid API key", any other 401 as "API Error: 401 ... · Please run /login".
 */
export function authenticationFailure(headers: Headers): string {
  if (headers.get('x-api-key')) return 'invalid x-api-key'
  if (/^Bearer\s+\S/i.test(headers.get('authorization')?.trim() ?? '')) return 'Invalid bearer token'
  return 'x-api-key header is required'
}
