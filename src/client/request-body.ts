import { overflowByBytes, promptTooLongMessage } from '../translate/context-limit.js'
import { invalid } from '../translate/invalid.js'
import { fitsInBytes, utf8Length } from '../translate/size.js'
import type { KiroTranslation } from '../translate/to-kiro-request.js'

/**
 * Bytes of `maxBodyBytes` the client keeps free when the profile ARN is only known from the login:
 * the token is read after translation, so `,"profileArn":"arn:aws:codewhisperer:…"` (about 85
 * bytes for a real ARN) is added to a body the translator sized without it.
 */
export const PROFILE_ARN_ROOM = 256

/**
 * The body of one attempt: the translation's serialized bytes, with the login's `profileArn`
 * spliced in (no second serialization) when the client configured none and the token has one.
 * The splice must not take the body past `maxBodyBytes`, the limit the translator enforced.
 */
export function requestBody(
  translation: Pick<KiroTranslation, 'serialized' | 'body' | 'inputTokensEstimate' | 'contextWindow'>,
  profileArn: string | undefined,
  maxBodyBytes: number,
): string {
  if (profileArn === undefined || translation.body.profileArn !== undefined) return translation.serialized
  const body = `${translation.serialized.slice(0, -1)},"profileArn":${JSON.stringify(profileArn)}}`
  if (!fitsInBytes(body, maxBodyBytes)) {
    const bytes = utf8Length(body)
    const overflow = overflowByBytes(
      translation.inputTokensEstimate,
      bytes,
      maxBodyBytes,
      translation.contextWindow,
    )
    throw invalid(
      '',
      promptTooLongMessage(
        overflow,
        `The request is too large for Kiro once the login's profileArn is added: ${bytes} bytes, ` +
          `over the limit of ${maxBodyBytes} bytes. Shorten the conversation, or set profileArn on the client.`,
      ),
    )
  }
  return body
}
