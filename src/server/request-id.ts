const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/**
 * A fresh id for one HTTP request, shaped like Anthropic's (`req_` + 24 base62 characters), so log
 * scrapers and the SDK's `requestID` treat it the same way (docs/compatibility.md §0 item 9).
 */
export function newRequestId(): string {
  const bytes = new Uint8Array(24)
  globalThis.crypto.getRandomValues(bytes)
  let id = 'req_'
  // `byte % 62` favours the first 8 characters a little; an id has to be unique, not uniform.
  for (const byte of bytes) id += ALPHABET[byte % 62]
  return id
}
