import type { JsonObject } from './kiro-types.js'
import { pruneJson } from './prune.js'

/** Nulls and empty `required` lists go (docs/protocol.md §3.6: each is reported to make Kiro answer 400). */
function dropFromSchema(key: string, value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (key === 'required' && Array.isArray(value) && value.length === 0)
  )
}

/**
 * Cleans a JSON Schema for Kiro (docs/protocol.md §3.6, the "safe subset" of the two cleanups in use):
 * every `null` removed (object members and array elements: Kiro answers 400 to nulls), every
 * empty `required: []` removed, and at the top level `type` (default `"object"`) and `properties`
 * (default `{}`) present. Everything else, `$schema` and `additionalProperties` included, is kept.
 *
 * Copy on write: an already clean (sub)schema is returned as the same object, so the common case
 * allocates nothing.
 */
export function cleanInputSchema(schema: JsonObject): JsonObject {
  const cleaned = pruneJson(schema, dropFromSchema)
  const { type, properties } = cleaned as { type?: unknown; properties?: unknown }
  const hasType = typeof type === 'string'
  const hasProperties = typeof properties === 'object' && properties !== null && !Array.isArray(properties)
  if (hasType && hasProperties) return cleaned
  return { ...cleaned, ...(hasType ? {} : { type: 'object' }), ...(hasProperties ? {} : { properties: {} }) }
}
