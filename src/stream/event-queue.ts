type Waiter<T> = { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void }

/**
 * A single-consumer async queue: values pushed before anyone reads are kept, so a consumer that
 * starts late misses nothing; after the end (or the failure, delivered once after the queued
 * values) reads report done. Reads may overlap (`next()` called again before the last one settled,
 * as the async-iterator protocol allows): they are answered in call order.
 */
export class EventQueue<T> {
  #items: T[] = []
  #head = 0
  #closed = false
  #failure: { error: unknown } | undefined
  #waiters: Waiter<T>[] = []

  push(value: T): void {
    if (this.#closed) return
    const waiter = this.#waiters.shift()
    if (waiter) {
      waiter.resolve({ value, done: false })
      return
    }
    this.#items.push(value)
  }

  /** No more values: readers get the queued ones, then done. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#settleWaiters()
  }

  /** Ends with an error: readers get the queued values, then the error once, then done. */
  fail(error: unknown): void {
    if (this.#closed) return
    this.#closed = true
    this.#failure = { error }
    this.#settleWaiters()
  }

  next(): Promise<IteratorResult<T>> {
    const queued = this.poll()
    if (queued !== undefined) return Promise.resolve(queued)
    if (this.#closed) return this.#finalResult()
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject })
    })
  }

  /**
   * The next queued value, taken now, as `next()` would resolve with it; undefined when none is
   * queued (then `next()` waits, or reports the end).
   */
  poll(): IteratorYieldResult<T> | undefined {
    if (this.#head >= this.#items.length) return undefined
    const value = this.#items[this.#head] as T
    this.#head++
    if (this.#head === this.#items.length) {
      this.#items = []
      this.#head = 0
    }
    return { value, done: false }
  }

  /**
   * The values queued now, taken without waiting (none while a read is pending). With `weigh`, stops
   * once the values taken weigh `maxWeight` or more (at least one is taken when any is queued).
   */
  takeQueued(weigh?: (value: T) => number, maxWeight = Number.POSITIVE_INFINITY): T[] {
    if (this.#head >= this.#items.length) return []
    let end = this.#items.length
    if (weigh !== undefined) {
      let weight = 0
      end = this.#head
      while (end < this.#items.length && weight < maxWeight) weight += weigh(this.#items[end++] as T)
    }
    const taken =
      this.#head === 0 && end === this.#items.length ? this.#items : this.#items.slice(this.#head, end)
    if (end === this.#items.length) {
      this.#items = []
      this.#head = 0
    } else this.#head = end
    return taken
  }

  /** Waiters exist only while the queue is empty: the first gets the failure (if any), all get done. */
  #settleWaiters(): void {
    const waiters = this.#waiters
    this.#waiters = []
    for (const waiter of waiters) this.#finalResult().then(waiter.resolve, waiter.reject)
  }

  #finalResult(): Promise<IteratorResult<T>> {
    const failure = this.#failure
    if (failure) {
      this.#failure = undefined
      return Promise.reject(failure.error)
    }
    return Promise.resolve({ value: undefined, done: true })
  }
}
