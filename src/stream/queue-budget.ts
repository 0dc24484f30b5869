import type { RawMessageStreamEvent } from '../types/anthropic-response.js'

/** What a MessageStream holds for a slow iterator before it stops reading upstream. */
export const DEFAULT_HIGH_WATER_MARK = 1024 * 1024

/** About what an event weighs in memory and on the wire: its text, plus its fixed fields. */
export function eventBytes(event: RawMessageStreamEvent): number {
  if (event.type === 'content_block_delta') {
    const delta = event.delta as {
      text?: string
      thinking?: string
      partial_json?: string
      signature?: string
    }
    return 96 + (delta.text ?? delta.thinking ?? delta.partial_json ?? delta.signature ?? '').length
  }
  return 256
}

/**
 * The backpressure of a MessageStream read through its iterator (docs/security.md, "Slow
 * clients"): the bytes of events queued and not yet taken, and a wait for the producer while
 * they are over the high-water mark, so that a consumer that stops reading stops the upstream
 * read too, instead of letting the whole answer pile up in memory.
 */
export class QueueBudget {
  readonly highWaterMark: number
  #queued = 0
  #wake: (() => void) | undefined

  constructor(highWaterMark: number) {
    this.highWaterMark = highWaterMark
  }

  get full(): boolean {
    return this.#queued > this.highWaterMark
  }

  add(event: RawMessageStreamEvent): void {
    this.#queued += eventBytes(event)
  }

  take(event: RawMessageStreamEvent): void {
    this.takeBytes(eventBytes(event))
  }

  /** Events weighing `bytes` in all were taken at once. */
  takeBytes(bytes: number): void {
    this.#queued -= bytes
    if (this.#queued <= this.highWaterMark) this.release()
  }

  /** Resolves once the consumer has taken enough (or {@link release} is called). */
  room(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve
    })
  }

  /** Lets a waiting producer go on (the stream ended, failed or was aborted). */
  release(): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }
}
