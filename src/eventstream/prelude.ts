import { EventStreamError } from '../errors/event-stream-error.js'
import { crc32Range } from './crc32.js'
import { MINIMUM_MESSAGE_LENGTH, PRELUDE_CRC_OFFSET } from './types.js'

/** Offset of the headers-length field in the prelude (docs/eventstream.md §1). */
export const HEADERS_LENGTH_OFFSET = 4

/**
 * Checks the 12-byte prelude at `bytes[at, at + 12)` and returns the message's total length.
 *
 * docs/eventstream.md §1 and §5: the CRC first, so that a corrupt length is reported as corruption rather than as
 * a bad length; then total >= 16, total <= `maxMessageLength`, and a header block that fits in the
 * message (reported as `invalid_header`). All before the rest of the message is awaited or
 * allocated. `position` is the message's offset in the stream, for the error message only.
 */
export function checkPrelude(
  bytes: Uint8Array,
  view: DataView,
  at: number,
  maxMessageLength: number,
  position: number,
): number {
  if (crc32Range(bytes, at, at + PRELUDE_CRC_OFFSET) !== view.getUint32(at + PRELUDE_CRC_OFFSET)) {
    throw new EventStreamError(
      'prelude_crc_mismatch',
      `event stream: prelude CRC mismatch at byte ${position}`,
    )
  }
  const total = view.getUint32(at)
  if (total < MINIMUM_MESSAGE_LENGTH) {
    throw lengthError(
      'message_too_short',
      position,
      `${total} bytes; the minimum is ${MINIMUM_MESSAGE_LENGTH}`,
    )
  }
  if (total > maxMessageLength) {
    throw lengthError('message_too_long', position, `${total} bytes; maxMessageLength is ${maxMessageLength}`)
  }
  const headersLength = view.getUint32(at + HEADERS_LENGTH_OFFSET)
  if (headersLength > total - MINIMUM_MESSAGE_LENGTH) {
    throw lengthError('invalid_header', position, `${headersLength} bytes of headers in ${total} bytes`)
  }
  return total
}

function lengthError(
  code: 'message_too_short' | 'message_too_long' | 'invalid_header',
  position: number,
  detail: string,
): EventStreamError {
  return new EventStreamError(code, `event stream: message at byte ${position} declares ${detail}`)
}
