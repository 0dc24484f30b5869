import { setOwn } from './invalid.js'
import type { JsonObject } from './kiro-types.js'

/**
 * A tool input Kiro accepts: members with an empty-string key removed (Kiro rejects them, A2A's
 * finding in spec §3.6) and nulls removed (Kiro's JSON documents reject null, as the schema
 * findings in §3.6 show), at any depth. Copy on write: a clean input is returned as is.
 */
export function sanitizeToolInput(input: JsonObject): JsonObject {
  return sanitizeObject(input)
}

function sanitizeValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  return Array.isArray(value) ? sanitizeArray(value) : sanitizeObject(value as JsonObject)
}

function sanitizeArray(array: unknown[]): unknown[] {
  let out: unknown[] | undefined
  for (let i = 0; i < array.length; i++) {
    const value = array[i]
    if (value === null || value === undefined) {
      out ??= array.slice(0, i)
      continue
    }
    const cleaned = sanitizeValue(value)
    if (out !== undefined) out.push(cleaned)
    else if (cleaned !== value) {
      out = array.slice(0, i)
      out.push(cleaned)
    }
  }
  return out ?? array
}

function sanitizeObject(object: JsonObject): JsonObject {
  let out: JsonObject | undefined
  for (const key in object) {
    const value = object[key]
    const drop = key === '' || value === null || value === undefined
    const cleaned = drop ? undefined : sanitizeValue(value)
    if (out === undefined && (drop || cleaned !== value)) {
      out = {}
      for (const k in object) {
        if (k === key) break
        setOwn(out, k, object[k])
      }
    }
    if (out !== undefined && !drop) setOwn(out, key, cleaned)
  }
  return out ?? object
}
