/** setTimeout's ceiling: a longer delay would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

/** One re-settable timer that is `unref`ed, so it never keeps a process alive. */
export class UnrefTimer {
  readonly #fire: () => void
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(fire: () => void) {
    this.#fire = fire
  }

  set(delayMs: number): void {
    this.clear()
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined
        this.#fire()
      },
      Math.min(Math.max(delayMs, 0), MAX_TIMER_MS),
    )
    this.#timer.unref?.()
  }

  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
