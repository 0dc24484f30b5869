/** What {@link APIPromise.withResponse} resolves with, as in `@anthropic-ai/sdk`. */
export interface WithResponse<T> {
  data: T
  /** Kiro's HTTP response (status and headers; its body is the client's to read). */
  response: Response
  /** Kiro's request id (`x-amzn-requestid`). */
  request_id: string | null | undefined
}

/** The three ways to read one request's result. */
export interface APIPromiseSource<T> {
  /** The result; called once, on first `then`/`catch`/`finally`. */
  data: () => Promise<T>
  withResponse: () => Promise<WithResponse<T>>
  asResponse: () => Promise<Response>
}

/**
 * The promise `create()` returns, shaped like `@anthropic-ai/sdk`'s `APIPromise`: await it for the
 * result, or call `withResponse()` for the result with Kiro's response and request id, or
 * `asResponse()` for the result as the Anthropic API would have answered it over HTTP (a JSON or
 * SSE `Response`, or an error `Response` with Anthropic's error body), ready to return from a route
 * handler (docs/streaming.md, "create() and its APIPromise").
 *
 * The result is read lazily: a caller who only wants `asResponse()` gets no rejection of a result
 * nobody awaits. An error that nobody reads at all still surfaces as an unhandled rejection, from
 * the stream underneath, as with the SDK.
 */
export class APIPromise<T> implements Promise<T> {
  readonly #source: APIPromiseSource<T>
  #data: Promise<T> | undefined

  constructor(source: APIPromiseSource<T>) {
    this.#source = source
  }

  get [Symbol.toStringTag](): string {
    return 'APIPromise'
  }

  /** The result with Kiro's `Response` and request id. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#source.withResponse()
  }

  /** The result as an Anthropic-format HTTP `Response` (an error becomes an error `Response`). */
  asResponse(): Promise<Response> {
    return this.#source.asResponse()
  }

  // biome-ignore lint/suspicious/noThenProperty: this is a promise; `await` must work on it.
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null | undefined,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null | undefined,
  ): Promise<R1 | R2> {
    return this.#result().then(onfulfilled, onrejected)
  }

  catch<R = never>(
    onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null | undefined,
  ): Promise<T | R> {
    return this.#result().catch(onrejected)
  }

  finally(onfinally?: (() => void) | null | undefined): Promise<T> {
    return this.#result().finally(onfinally)
  }

  #result(): Promise<T> {
    this.#data ??= this.#source.data()
    return this.#data
  }
}
