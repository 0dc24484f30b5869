/** Capped exponential backoff between failed refreshes, so a dead endpoint is not hammered. */
export class Backoff {
  readonly #baseMs: number
  readonly #maxMs: number
  #failures = 0
  #retryAt = 0

  constructor(baseMs: number, maxMs: number) {
    this.#baseMs = baseMs
    this.#maxMs = maxMs
  }

  /** No attempt before this instant (ms since the epoch). */
  get retryAt(): number {
    return this.#retryAt
  }

  fail(now: number): void {
    this.#failures += 1
    this.#retryAt = now + Math.min(this.#baseMs * 2 ** (this.#failures - 1), this.#maxMs)
  }

  reset(): void {
    this.#failures = 0
    this.#retryAt = 0
  }
}
