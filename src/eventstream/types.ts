/** One header value of an AWS event-stream message, tagged with its wire type. */
export type EventStreamHeaderValue =
  | { type: 'boolean'; value: boolean }
  | { type: 'byte' | 'short' | 'integer'; value: number }
  | { type: 'long'; value: bigint }
  | { type: 'binary'; value: Uint8Array }
  | { type: 'string'; value: string }
  | { type: 'timestamp'; value: Date }
  /** Lowercase 8-4-4-4-12 hex. */
  | { type: 'uuid'; value: string }

/** One decoded message of `application/vnd.amazon.eventstream`. */
export interface EventStreamMessage {
  headers: Record<string, EventStreamHeaderValue>
  /** A view into the received bytes where possible; do not mutate it. */
  payload: Uint8Array
}

/** Wire constants (docs/eventstream.md §1-§2). */
export const PRELUDE_LENGTH = 12
export const PRELUDE_CRC_OFFSET = 8
export const TRAILER_LENGTH = 4
export const MINIMUM_MESSAGE_LENGTH = PRELUDE_LENGTH + TRAILER_LENGTH
export const DEFAULT_MAX_MESSAGE_LENGTH = 16 * 1024 * 1024
/** Largest variable-length header value the CRT and Go SDKs accept (INT16_MAX). */
export const MAX_HEADER_VALUE_LENGTH = 32_767

/** Header value type codes on the wire. */
export const HeaderType = {
  boolTrue: 0,
  boolFalse: 1,
  byte: 2,
  short: 3,
  integer: 4,
  long: 5,
  binary: 6,
  string: 7,
  timestamp: 8,
  uuid: 9,
} as const
