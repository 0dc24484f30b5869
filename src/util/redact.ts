/** Longest upstream text that goes into an error message. */
const MAX_QUOTED_LENGTH = 300
const MIN_SECRET_LENGTH = 4
/** Long opaque runs look like tokens even when we do not know them (a server echoing another secret). */
const OPAQUE_RUN = /[A-Za-z0-9+/=_.:-]{48,}/g

/**
 * Makes upstream text safe to put in an error message: every occurrence of a known secret is
 * replaced, control characters are dropped, and the text is cut short. Upstream bodies are
 * untrusted: a hostile or buggy server may echo the refresh token back.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join('[redacted]')
  }
  out = out.replace(OPAQUE_RUN, '[redacted]')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  out = out.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()
  return out.length > MAX_QUOTED_LENGTH ? `${out.slice(0, MAX_QUOTED_LENGTH)}…` : out
}
