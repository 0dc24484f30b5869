/**
 * What the simulator's default assistant reads as the user's own words in a Kiro request, and the
 * one way a user asks it for a tool (README, "The simulator").
 */

// The control tags a Claude-to-Kiro translator injects (docs/protocol.md §3.8) are not the prompt.
const CONTROL_TAGS =
  /<(thinking_mode|max_thinking_length|thinking_effort|thinking_instruction)>[\s\S]*?<\/\1>/g
// Claude Code's reminders ride inside user messages and name its tools (Agent, Bash, ToolSearch...).
const REMINDERS = /<system-reminder>[\s\S]*?<\/system-reminder>/g
/** `call Name` or `call Name {json}`, alone on a line. */
const DIRECTIVE = /^call[ \t]+([A-Za-z0-9_.:-]+)(?:[ \t]+(\{.*\}))?[ \t]*$/

/** A tool the user asked for by name. */
interface ToolRequest {
  name: string
  /** The JSON object given after the name, when there was one and it parsed. */
  input: Record<string, unknown> | undefined
}

/** The user's words, and the tool they asked for. */
export interface UserText {
  /** The text without injected tags, reminders and the `call` line. */
  text: string
  /** The first `call` line naming one of the offered tools. */
  tool: ToolRequest | undefined
}

function parseInput(raw: string | undefined): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined
  try {
    const value: unknown = JSON.parse(raw)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/**
 * Reads a message's content: drops the thinking tags and `<system-reminder>` blocks, and takes a
 * line of the form `call ToolName` (optionally followed by the tool's input as a JSON object) as a
 * request for that tool when it is one of `offered` (exact, case-sensitive name). Only a line of
 * its own counts, so that prose about tools (a system prompt, Claude Code's reminders) never does.
 */
export function readUserText(content: string, offered: ReadonlySet<string>): UserText {
  let tool: ToolRequest | undefined
  const kept: string[] = []
  for (const line of content.replace(CONTROL_TAGS, '').replace(REMINDERS, '').split('\n')) {
    const match = DIRECTIVE.exec(line.trim())
    const name = match?.[1]
    if (match !== null && name !== undefined && offered.has(name)) {
      tool ??= { name, input: parseInput(match[2]) }
      continue
    }
    kept.push(line)
  }
  return { text: kept.join('\n').trim(), tool }
}
