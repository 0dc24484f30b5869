const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** A fresh message id shaped like Anthropic's (`msg_01` + 22 base62 characters, about 130 random bits). */
export function newMessageId(): string {
  const bytes = new Uint8Array(22)
  globalThis.crypto.getRandomValues(bytes)
  let id = 'msg_01'
  // `% 62` favours a few characters slightly; an id needs uniqueness, not uniformity.
  for (const byte of bytes) id += ALPHABET[byte % 62]
  return id
}
