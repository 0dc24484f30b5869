/**
 * Parses an expiry as token files carry it: an ISO 8601 / RFC 3339 string (up to nine fractional
 * digits, spec/kiro-wire.md §2.1), milliseconds since the epoch, or a Date. Undefined when unusable.
 */
export function parseExpiry(value: unknown): number | undefined {
  if (value instanceof Date) {
    const ms = value.getTime()
    return Number.isFinite(ms) ? ms : undefined
  }
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined
  if (typeof value === 'string' && value.trim() !== '') {
    const ms = Date.parse(value)
    return Number.isFinite(ms) ? ms : undefined
  }
  return undefined
}
