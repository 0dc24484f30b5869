import { assembleBody, type BodyFields } from './body.js'
import type { KiroRequest } from './kiro-types.js'
import type { PairedConversation } from './pairing.js'
import { fitsInBytes, utf8Length } from './size.js'
import { type SizeContext, tooLarge, trimToFit } from './trim.js'
import { withoutOldImages } from './trim-images.js'

/** How an oversize body may be made to fit. */
export interface FitOptions {
  maxBytes: number
  /** Replace the images of older user messages, keeping those of the last `keepTurns`. */
  trimImages: { keepTurns: number } | undefined
  /** Drop the oldest whole turns. */
  trimHistory: boolean
  size: SizeContext
}

export interface Fitted {
  body: KiroRequest
  serialized: string
  trimmedTurns: number
  trimmedImages: number
}

/**
 * Makes an oversize body fit, losing as little as possible: first old images become a short note
 * (`trimImages`), then, only if that is not enough, the oldest turns go (`trimHistory`). When
 * neither is allowed or enough, throws the size refusal (`prompt is too long: ...`).
 */
export function fitBody(
  conversation: PairedConversation,
  prefix: string,
  fields: BodyFields,
  serializedBytes: number,
  options: FitOptions,
): Fitted {
  const { maxBytes } = options
  let current = conversation
  let bytes = serializedBytes
  let trimmedImages = 0
  if (options.trimImages !== undefined) {
    // The estimate of the bytes saved can be a little off; the slack keeps one pass enough.
    const trimmed = withoutOldImages(current, prefix, options.trimImages.keepTurns, bytes - maxBytes + 256)
    if (trimmed.removed > 0) {
      current = trimmed.conversation
      trimmedImages = trimmed.removed
      const body = assembleBody(current.messages, fields)
      const serialized = JSON.stringify(body)
      if (fitsInBytes(serialized, maxBytes)) return { body, serialized, trimmedTurns: 0, trimmedImages }
      bytes = utf8Length(serialized)
    }
  }
  if (!options.trimHistory) throw tooLarge(bytes, maxBytes, false, options.size)
  const sized = trimToFit(current, prefix, fields, bytes, maxBytes, options.size)
  return { body: sized.body, serialized: sized.serialized, trimmedTurns: sized.dropped, trimmedImages }
}
