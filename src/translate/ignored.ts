import { type Fields, invalid, isObject } from './invalid.js'

type Check = (value: unknown) => string | undefined

const number: Check = (v) =>
  typeof v === 'number' && Number.isFinite(v) ? undefined : 'Input should be a valid number'
const integer: Check = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0
    ? undefined
    : 'Input should be a non-negative integer'
const stringList: Check = (v) =>
  Array.isArray(v) && v.every((s) => typeof s === 'string')
    ? undefined
    : 'Input should be a valid list of strings'
const toolChoice: Check = (v) =>
  isObject(v) && ['auto', 'any', 'tool', 'none'].includes(v.type as string)
    ? undefined
    : "Input should be a dictionary with type 'auto', 'any', 'tool' or 'none'"
const anything: Check = () => undefined

/**
 * Parameters Kiro has no field for (docs/protocol.md §3.1, §3.10): accepted (their type checked, so a typo
 * still gets a clear 400), not sent, and reported in `ignored`. `stop_sequences` is applied by the
 * response side. `metadata` is used (for the conversation id) and `cache_control` has no effect to
 * report, so neither is listed.
 */
const IGNORED: ReadonlyArray<readonly [string, Check]> = [
  ['max_tokens', integer],
  ['temperature', number],
  ['top_p', number],
  ['top_k', integer],
  ['stop_sequences', stringList],
  ['tool_choice', toolChoice],
  ['service_tier', anything],
  ['speed', anything],
  ['inference_geo', anything],
  ['container', anything],
  ['context_management', anything],
  ['mcp_servers', anything],
  // Beta parameters (`client.beta.messages`, Claude Code): Kiro has no such features.
  ['betas', stringList],
  ['safeguards', anything],
  ['output_format', anything],
  ['compaction', anything],
  ['fallbacks', anything],
  ['fallback_credit_token', anything],
  ['thread', anything],
  ['billing_policy', anything],
  ['diagnostics', anything],
]

/** Names of the given parameters Kiro cannot honour, in a fixed order; throws on a mistyped one. */
export function ignoredParams(params: Record<string, unknown>): string[] {
  const ignored: string[] = []
  for (const [name, check] of IGNORED) {
    const value = params[name]
    if (value === undefined || value === null) continue
    const problem = check(value)
    if (problem !== undefined) throw invalid(name, problem)
    ignored.push(name)
  }
  const outputConfig = (params as Fields).output_config
  if (isObject(outputConfig) && outputConfig.format !== undefined && outputConfig.format !== null) {
    ignored.push('output_config.format')
  }
  return ignored
}
