/**
 * A credential-like value: 8 or more token characters with a digit or a symbol among them, or 20
 * letters. Plain words ("Bearer authentication", "apiKey: expected a string") do not match.
 */
const VALUE = String.raw`((?=[^"'\s,&;}<>)\]]*[0-9_+/=.~-])[^"'\s,&;}<>)\]]{8,}|[A-Za-z]{20,})`

/**
 * Values that look like credentials whoever they belong to (docs/security.md, "Secrets"). Each
 * pattern has the `d` flag (match indices); with a group, only the last group is the secret.
 */
export const SECRET_PATTERNS: readonly RegExp[] = [
  // `Bearer <token>`, in a header echo or a message.
  new RegExp(String.raw`\bBearer\s+${VALUE}`, 'dgi'),
  // JSON Web Tokens: a base64url header starting `{"`, a payload, a signature.
  /\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/dg,
  // Kiro (AWS SSO) access and refresh tokens.
  /\bao[ar]A{4,}[A-Za-z0-9+/=:._-]{16,}/dg,
  // Kiro API keys.
  /\bksk_[A-Za-z0-9_-]{8,}/dg,
  // The value of a field or header named like a secret: `"refreshToken":"…"`, `client_secret=…`,
  // `x-api-key: …`, `Authorization: Basic …`.
  new RegExp(
    String.raw`(?:access[_-]?token|refresh[_-]?token|id[_-]?token|session[_-]?token|client[_-]?secret|secret[_-]?access[_-]?key|api[_-]?key|admin[_-]?key|password|authorization)["']?\s*[:=]\s*["']?(?:(?:Bearer|Basic|Token)\s+)?${VALUE}`,
    'dgi',
  ),
]
