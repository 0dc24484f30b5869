import { setOwn } from './invalid.js'
import type { JsonObject } from './kiro-types.js'

/**
 * Cleans a JSON Schema for Kiro (spec §3.6, the "safe subset" of the two cleanups in use):
 * every `null` removed (object members and array elements: Kiro answers 400 to nulls), every
 * empty `required: []` removed, and at the top level `type` (default `"object"`) and `properties`
 * (default `{}`) present. Everything else, `$schema` and `additionalProperties` included, is kept.
 *
 * Copy on write: an already clean (sub)schema is returned as the same object, so the common case
 * allocates nothing.
 */
export function cleanInputSchema(schema: JsonObject): JsonObject {
  const cleaned = cleanObject(schema)
  const { type, properties } = cleaned as { type?: unknown; properties?: unknown }
  const hasType = typeof type === 'string'
  const hasProperties = typeof properties === 'object' && properties !== null && !Array.isArray(properties)
  if (hasType && hasProperties) return cleaned
  return { ...cleaned, ...(hasType ? {} : { type: 'object' }), ...(hasProperties ? {} : { properties: {} }) }
}

function cleanValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  return Array.isArray(value) ? cleanArray(value) : cleanObject(value as JsonObject)
}

function cleanArray(array: unknown[]): unknown[] {
  let out: unknown[] | undefined
  for (let i = 0; i < array.length; i++) {
    const value = array[i]
    if (value === null) {
      out ??= array.slice(0, i)
      continue
    }
    const cleaned = cleanValue(value)
    if (out !== undefined) out.push(cleaned)
    else if (cleaned !== value) {
      out = array.slice(0, i)
      out.push(cleaned)
    }
  }
  return out ?? array
}

function cleanObject(object: JsonObject): JsonObject {
  let out: JsonObject | undefined
  for (const key in object) {
    const value = object[key]
    const drop =
      value === null ||
      value === undefined ||
      (key === 'required' && Array.isArray(value) && value.length === 0)
    const cleaned = drop ? undefined : cleanValue(value)
    if (out === undefined && (drop || cleaned !== value)) out = copyBefore(object, key)
    if (out !== undefined && !drop) setOwn(out, key, cleaned)
  }
  return out ?? object
}

/** The members of `object` that come before `stop`, in order. */
function copyBefore(object: JsonObject, stop: string): JsonObject {
  const out: JsonObject = {}
  for (const key in object) {
    if (key === stop) break
    setOwn(out, key, object[key])
  }
  return out
}
