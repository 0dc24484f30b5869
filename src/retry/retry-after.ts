// A non-negative decimal number: RFC 9110 §10.2.3 allows only integers, but gateways send fractions.
const DECIMAL = /^\s*\d+(?:\.\d+)?\s*$/
// HTTP dates (RFC 9110 §5.6.7: IMF-fixdate, RFC 850, asctime) all open with a day name; checking it keeps
// V8's lenient Date.parse from reading a date into arbitrary text.
const HTTP_DATE = /^\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s/i

/**
 * How long the server asked the client to wait before retrying, in milliseconds.
 *
 * `retry-after-ms` (a non-standard header some gateways send, in milliseconds) wins; then
 * `Retry-After` as delta-seconds or as an HTTP date. A date in the past means "now" (0).
 * Malformed or negative values are ignored, as if the header were absent.
 *
 * @param headers - The response headers.
 * @param now - The current time in ms since the epoch, for HTTP dates. @defaultValue `Date.now()`
 * @returns The wait in ms, or `undefined` when the response states none.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms')
  if (ms !== null && DECIMAL.test(ms)) return Number.parseFloat(ms)
  const raw = headers.get('retry-after')
  if (raw === null) return undefined
  if (DECIMAL.test(raw)) return Number.parseFloat(raw) * 1000
  if (!HTTP_DATE.test(raw)) return undefined
  const date = Date.parse(raw)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}
