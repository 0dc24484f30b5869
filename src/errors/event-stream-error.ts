import { KiroError } from './kiro-error.js'

/** Stable reasons the event-stream decoder gives up on its input. */
export type EventStreamErrorCode =
  | 'prelude_crc_mismatch'
  | 'message_crc_mismatch'
  | 'message_too_short'
  | 'message_too_long'
  | 'invalid_header'
  | 'truncated'

/** The binary event stream is corrupt, too large, or cut off. Fatal for the stream it came from. */
export class EventStreamError extends KiroError {
  override name = 'EventStreamError'
  readonly code: EventStreamErrorCode

  constructor(code: EventStreamErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}
