import type { JsonObject } from './kiro-types.js'
import { pruneJson } from './prune.js'

/** Empty-string keys (Kiro rejects them, A2A's finding in docs/protocol.md §3.6) and nulls go. */
function dropFromInput(key: string, value: unknown): boolean {
  return key === '' || value === null || value === undefined
}

/**
 * A tool input Kiro accepts: members with an empty-string key removed and nulls removed (Kiro's
 * JSON documents reject null, as the schema findings in §3.6 show), at any depth. Copy on write:
 * a clean input is returned as is.
 */
export function sanitizeToolInput(input: JsonObject): JsonObject {
  return pruneJson(input, dropFromInput)
}
