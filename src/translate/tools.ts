import {
  isWebSearchType,
  readWebSearchTool,
  type WebSearchConfig,
  webSearchToolSpec,
} from '../websearch/web-search-tool.js'
import { invalid, isObject } from './invalid.js'
import type { JsonObject, KiroTool } from './kiro-types.js'
import {
  defaultToolDescription,
  HISTORY_TOOL_DESCRIPTION,
  movedDescriptionPointer,
  movedDescriptionSection,
} from './placeholders.js'
import { cleanInputSchema } from './schema.js'
import type { ToolNameRegistry } from './tool-names.js'

/** Kiro's limit on a tool description (docs/protocol.md §3.6). */
export const MAX_TOOL_DESCRIPTION_LENGTH = 10_000

export interface ToolDefinitions {
  /** The specifications for `userInputMessageContext.tools`. */
  specs: KiroTool[]
  /** Declared Kiro names, lower-cased (Kiro matches tool names case-insensitively; docs/protocol.md §3.5 rule 7). */
  declared: Set<string>
  /** Anthropic-defined tools Kiro cannot run (by `name`, else `type`). */
  dropped: string[]
  /** System-prompt sections holding descriptions too long for Kiro. */
  sections: string[]
  /** The web search tool, declared to the model as an ordinary tool (docs/protocol.md §9.5). */
  webSearch: WebSearchConfig | undefined
}

/**
 * Translates `tools` (docs/protocol.md §3.6): custom tools become `toolSpecification`s (name made valid through
 * the registry, description non-empty and at most 10,000 characters, schema cleaned); the web search
 * server tool becomes an ordinary `web_search` tool the library answers (§9.5); every other tool
 * with a `type` other than `custom` is an Anthropic-defined tool (code execution, bash, text
 * editor, computer, memory, tool search, ...) with no Kiro equivalent: dropped and listed.
 */
export function translateTools(tools: unknown, names: ToolNameRegistry): ToolDefinitions {
  const result: ToolDefinitions = {
    specs: [],
    declared: new Set(),
    dropped: [],
    sections: [],
    webSearch: undefined,
  }
  if (tools === undefined || tools === null) return result
  if (!Array.isArray(tools)) throw invalid('tools', 'Input should be a valid list')
  const seen = new Set<string>()
  for (let i = 0; i < tools.length; i++) {
    const tool: unknown = tools[i]
    const path = `tools.${i}`
    if (!isObject(tool)) throw invalid(path, 'Input should be a valid dictionary')
    const type = tool.type
    if (isWebSearchType(type)) {
      const config = readWebSearchTool(tool, path)
      if (seen.has(config.name))
        throw invalid('tools', `Tool names must be unique; '${config.name}' appears twice.`)
      seen.add(config.name)
      const kiroName = names.kiroName(config.name)
      result.webSearch = config
      result.declared.add(kiroName.toLowerCase())
      result.specs.push(webSearchToolSpec(kiroName))
      continue
    }
    if (type !== undefined && type !== null && type !== 'custom') {
      if (typeof type !== 'string') throw invalid(`${path}.type`, 'Input should be a valid string')
      const name = tool.name
      result.dropped.push(typeof name === 'string' && name !== '' ? name : type)
      continue
    }
    const name = tool.name
    if (name === undefined) throw invalid(`${path}.name`, 'Field required')
    if (typeof name !== 'string' || name === '') {
      throw invalid(`${path}.name`, 'Input should be a non-empty string')
    }
    if (seen.has(name)) throw invalid('tools', `Tool names must be unique; '${name}' appears twice.`)
    seen.add(name)
    const schema = tool.input_schema
    if (schema === undefined) throw invalid(`${path}.input_schema`, 'Field required')
    if (!isObject(schema)) throw invalid(`${path}.input_schema`, 'Input should be a valid dictionary')
    let description = tool.description
    if (description !== undefined && description !== null && typeof description !== 'string') {
      throw invalid(`${path}.description`, 'Input should be a valid string')
    }
    const kiroName = names.kiroName(name)
    if (typeof description !== 'string' || description.trim() === '')
      description = defaultToolDescription(name)
    else if (description.length > MAX_TOOL_DESCRIPTION_LENGTH) {
      // Kiro answers 400 to longer descriptions; the text stays available to the model (JW's approach).
      result.sections.push(movedDescriptionSection(kiroName, description))
      description = movedDescriptionPointer(kiroName)
    }
    result.declared.add(kiroName.toLowerCase())
    result.specs.push({
      toolSpecification: {
        name: kiroName,
        description: description as string,
        inputSchema: { json: cleanInputSchema(schema as JsonObject) },
      },
    })
  }
  return result
}

/** The placeholder specification for a tool used in history but not declared (docs/protocol.md §3.5 rule 7). */
export function historyToolSpec(kiroName: string): KiroTool {
  return {
    toolSpecification: {
      name: kiroName,
      description: HISTORY_TOOL_DESCRIPTION,
      inputSchema: { json: { type: 'object', properties: {} } },
    },
  }
}
