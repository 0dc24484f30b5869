/** The tool-definition rules of the Kiro shape checker (shape-checker.ts has the overview). */
import { isObj, member, type Obj, type Report } from './shape-rules.js'
import { KIRO_NAME_PATTERN } from './tool-names.js'
import { MAX_TOOL_DESCRIPTION_LENGTH } from './tools.js'

/**
 * Checks the current message's `tools` (docs/protocol.md §3.6); returns the declared names, lower-cased (Kiro
 * matches tool names case-insensitively, §3.5 rule 7).
 */
export function checkTools(tools: unknown, path: string, add: Report): Set<string> {
  const declared = new Set<string>()
  if (tools === undefined) return declared
  if (!Array.isArray(tools)) {
    add(path, 'must be an array', 'structure')
    return declared
  }
  for (let i = 0; i < tools.length; i++) {
    const tool: unknown = tools[i]
    const at = `${path}.${i}`
    if (isObj(tool) && isObj(tool.cachePoint)) continue
    const spec = isObj(tool) ? tool.toolSpecification : undefined
    if (!isObj(spec)) {
      add(at, 'must be { toolSpecification } or { cachePoint }', 'structure')
      continue
    }
    const name = spec.name
    if (typeof name !== 'string' || !KIRO_NAME_PATTERN.test(name)) {
      add(`${at}.toolSpecification.name`, 'must match ^[a-zA-Z0-9_-]{1,64}$', 'tool-name')
    } else declared.add(name.toLowerCase())
    const description = spec.description
    if (
      typeof description !== 'string' ||
      description.trim() === '' ||
      description.length > MAX_TOOL_DESCRIPTION_LENGTH
    ) {
      add(
        `${at}.toolSpecification.description`,
        `must be a non-empty string of at most ${MAX_TOOL_DESCRIPTION_LENGTH} characters`,
        'tool-description',
      )
    }
    const schema = spec.inputSchema
    if (!isObj(schema) || !isObj(schema.json))
      add(`${at}.toolSpecification.inputSchema`, 'must be { json: <object> }', 'tool-schema')
    else checkSchema(schema.json, `${at}.toolSpecification.inputSchema.json`, add)
  }
  return declared
}

/**
 * docs/protocol.md §3.6: the two schema cleanups in use conflict (one removes empty `required`, the other adds
 * `type`, `properties` and `required`); a schema is safe for both with `type` and `properties` at
 * the top and no empty `required` anywhere. (Nulls are reported by the body-wide null rule.)
 */
function checkSchema(json: Obj, path: string, add: Report): void {
  if (typeof member(json, 'type') !== 'string')
    add(`${path}.type`, 'must be present (a string)', 'tool-schema')
  if (!isObj(member(json, 'properties')))
    add(`${path}.properties`, 'must be present (an object)', 'tool-schema')
  findEmptyRequired(json, path, add)
}

function findEmptyRequired(value: unknown, path: string, add: Report): void {
  if (typeof value !== 'object' || value === null) return
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) findEmptyRequired(value[i], `${path}.${i}`, add)
    return
  }
  for (const key in value) {
    const item = member(value as Obj, key)
    if (key === 'required' && Array.isArray(item) && item.length === 0) {
      add(`${path}.required`, 'an empty required list is not accepted; omit it', 'tool-schema')
    } else findEmptyRequired(item, `${path}.${key}`, add)
  }
}
