// The `kiro-client/eventstream` entry: the AWS event-stream codec (docs/eventstream.md). Runs on any
// runtime: no module of this folder imports a Node built-in.

// The same class as the root entry's, so `instanceof` holds whichever entry it came from.
export { EventStreamError, type EventStreamErrorCode } from '../errors/event-stream-error.js'
export {
  decodeEventStream,
  decodeEventStreamBatches,
  type EventStreamSource,
} from './decode-stream.js'
export { EventStreamDecoder, type EventStreamDecoderOptions } from './decoder.js'
export { encodeEventStreamMessage } from './encoder.js'
export type { EventStreamHeaderValue, EventStreamMessage } from './types.js'
