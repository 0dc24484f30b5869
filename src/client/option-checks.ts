import { ConfigurationError } from '../errors/configuration-error.js'
import { checkHeaders } from '../transport/check-headers.js'
import type { KiroTimeouts } from '../transport/timeouts.js'
import { isRegionName } from './endpoint.js'

/**
 * Checks one option: returns the value to keep (possibly normalized), or throws a
 * `ConfigurationError` naming `field`. Never called with `undefined` (an option left out).
 */
export type Check<T> = (value: unknown, field: string) => T

/** How a value reads in an error: its type and, for short scalars, the value. Never a long string. */
function shown(value: unknown): string {
  if (value === null) return 'null'
  if (value === '') return 'an empty string'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value)
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function fail(field: string, expected: string, value: unknown): never {
  throw new ConfigurationError(field, `must be ${expected}, got ${shown(value)}.`)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export const nonEmptyString: Check<string> = (value, field) =>
  typeof value === 'string' && value !== '' ? value : fail(field, 'a non-empty string', value)

export const boolean: Check<boolean> = (value, field) =>
  typeof value === 'boolean' ? value : fail(field, 'true or false', value)

export const fn: Check<(...args: never[]) => unknown> = (value, field) =>
  typeof value === 'function' ? (value as (...args: never[]) => unknown) : fail(field, 'a function', value)

export const object: Check<Record<string, unknown>> = (value, field) =>
  isPlainObject(value) ? value : fail(field, 'an object', value)

export const nonNegativeInteger: Check<number> = (value, field) =>
  Number.isInteger(value) && (value as number) >= 0
    ? (value as number)
    : fail(field, 'a non-negative integer', value)

export const nonNegativeMs: Check<number> = (value, field) =>
  typeof value === 'number' && value >= 0 && Number.isFinite(value)
    ? value
    : fail(field, 'a non-negative number of milliseconds', value)

/** An integer above `min`. */
export function integerAbove(min: number): Check<number> {
  return (value, field) =>
    Number.isInteger(value) && (value as number) > min
      ? (value as number)
      : fail(field, `an integer above ${min}`, value)
}

export const region: Check<string> = (value, field) => {
  const name = nonEmptyString(value, field)
  if (!isRegionName(name)) {
    throw new ConfigurationError(
      field,
      `${JSON.stringify(name.slice(0, 64))} is not an AWS region name (expected e.g. "us-east-1").`,
    )
  }
  return name
}

/** An object whose values are all non-empty strings (a model map). */
export const stringRecord: Check<Record<string, string>> = (value, field) => {
  const record = object(value, field)
  for (const key of Object.keys(record)) nonEmptyString(record[key], `${field}[${JSON.stringify(key)}]`)
  return record as Record<string, string>
}

/** HTTP headers fetch can send; their values are never quoted in an error. */
export const headers: Check<Record<string, string>> = (value, field) => {
  const record = object(value, field)
  for (const key of Object.keys(record)) {
    if (typeof record[key] !== 'string')
      fail(`${field}[${JSON.stringify(key.slice(0, 64))}]`, 'a string', record[key])
  }
  checkHeaders(record as Record<string, string>, field)
  return record as Record<string, string>
}

/** An `AbortSignal` (anything shaped like one: another realm's, a polyfill's). */
export const abortSignal: Check<AbortSignal> = (value, field) => {
  const signal = value as AbortSignal | null
  return typeof signal === 'object' &&
    signal !== null &&
    typeof signal.aborted === 'boolean' &&
    typeof signal.addEventListener === 'function'
    ? signal
    : fail(field, 'an AbortSignal', value)
}

// setTimeout clamps longer delays to 1 ms (it stores a signed 32-bit value); refuse them instead.
const MAX_TIMER_MS = 2_147_483_647
const TIMEOUT_FIELDS: Record<keyof KiroTimeouts, true> = { response: true, idle: true, total: true }

function timeoutMs(value: unknown, field: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0 || value > MAX_TIMER_MS) {
    fail(field, `a number of milliseconds between 1 and ${MAX_TIMER_MS}`, value)
  }
  return value
}

/**
 * `timeout`: a number is what it is in the Anthropic SDK, the time allowed until the response
 * headers arrive (our `response` limit); an object sets the limits one by one (docs/transport.md).
 */
export const timeout: Check<Partial<KiroTimeouts>> = (value, field) => {
  if (typeof value === 'number') return { response: timeoutMs(value, field) }
  const limits = isPlainObject(value) ? value : fail(field, 'a number of milliseconds or an object', value)
  const out: Partial<KiroTimeouts> = {}
  for (const key of Object.keys(limits)) {
    if (!Object.hasOwn(TIMEOUT_FIELDS, key)) {
      throw new ConfigurationError(
        `${field}.${key}`,
        'unknown limit; the limits are response, idle and total.',
      )
    }
    if (limits[key] !== undefined) out[key as keyof KiroTimeouts] = timeoutMs(limits[key], `${field}.${key}`)
  }
  return out
}
