import { setOwn } from './invalid.js'
import type { JsonObject } from './kiro-types.js'

/** Says whether an object member is removed. */
export type DropMember = (key: string, value: unknown) => boolean

/**
 * `object` with, at any depth, the members `drop` selects removed, and `null` and `undefined` array
 * elements removed (Kiro's JSON documents take no null; docs/protocol.md §3.1, §3.6).
 *
 * Copy on write: a (sub)value with nothing to remove is returned as the same object, so the common,
 * clean case allocates nothing. Members keep their order; a member named `__proto__` stays an own
 * member (as `JSON.parse` makes it).
 */
export function pruneJson(object: JsonObject, drop: DropMember): JsonObject {
  return pruneObject(object, drop)
}

function pruneValue(value: unknown, drop: DropMember): unknown {
  if (typeof value !== 'object' || value === null) return value
  return Array.isArray(value) ? pruneArray(value, drop) : pruneObject(value as JsonObject, drop)
}

function pruneArray(array: unknown[], drop: DropMember): unknown[] {
  let out: unknown[] | undefined
  for (let i = 0; i < array.length; i++) {
    const value = array[i]
    if (value === null || value === undefined) {
      out ??= array.slice(0, i)
      continue
    }
    const pruned = pruneValue(value, drop)
    if (out !== undefined) out.push(pruned)
    else if (pruned !== value) {
      out = array.slice(0, i)
      out.push(pruned)
    }
  }
  return out ?? array
}

function pruneObject(object: JsonObject, drop: DropMember): JsonObject {
  let out: JsonObject | undefined
  for (const key in object) {
    const value = object[key]
    const dropped = drop(key, value)
    const pruned = dropped ? undefined : pruneValue(value, drop)
    if (out === undefined && (dropped || pruned !== value)) out = copyBefore(object, key)
    if (out !== undefined && !dropped) setOwn(out, key, pruned)
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
