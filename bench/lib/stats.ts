/** Small statistics helpers shared by the end-to-end benchmarks. Pure; no timing of their own. */

/** Nearest-rank percentile (`p` in 0-100) of an unsorted list; NaN for an empty one. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number
}

export function median(values: readonly number[]): number {
  return percentile(values, 50)
}

export interface Summary {
  p50: number
  p99: number
  min: number
  max: number
  mean: number
}

export function summarize(values: readonly number[]): Summary {
  let sum = 0
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (const value of values) {
    sum += value
    if (value < min) min = value
    if (value > max) max = value
  }
  return { p50: percentile(values, 50), p99: percentile(values, 99), min, max, mean: sum / values.length }
}

/** `value` with a fixed number of decimals and thousands separators. */
export function fmt(value: number, decimals = 2): string {
  if (!Number.isFinite(value)) return String(value)
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number): string {
  return `${fmt(bytes / 1024 / 1024, 1)} MiB`
}

/** Bytes as KiB with one decimal. */
export function kib(bytes: number): string {
  return `${fmt(bytes / 1024, 1)} KiB`
}

/** "met" or "missed", for a target stated next to a figure; never a failure. */
export function verdict(met: boolean): string {
  return met ? 'met' : 'MISSED'
}

/** A change in bytes as MiB with its sign: "+1.5 MiB", "-0.2 MiB". */
export function deltaMib(bytes: number): string {
  return `${bytes < 0 ? '-' : '+'}${mib(Math.abs(bytes))}`
}
