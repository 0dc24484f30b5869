/**
 * The fixed texts the translator writes where Kiro needs content the caller did not give
 * (docs/protocol.md §3.5 rule 8: Kiro answers 400 to empty content). Documented in the README; a test pins each.
 */

/** Content of an assistant turn that has only tool calls, or nothing at all. */
export const ASSISTANT_EMPTY = ' '
/** Content of a user turn that carries only tool results. */
export const USER_TOOL_RESULTS_ONLY = 'Here are the tool results.'
/** Content of a user turn that carries only images. */
export const USER_IMAGES_ONLY = 'See the attached image.'
/** Content of a user turn whose message had no content at all. */
export const USER_EMPTY = '(empty message)'
/** The user turn put in front when the conversation starts with an assistant message. */
export const USER_CONVERSATION_START = '(start of conversation)'
/** The user turn that follows a trailing assistant message (a prefill): Kiro cannot continue a turn. */
export const USER_CONTINUE =
  'Continue your previous message from exactly where it stopped, without repeating it.'
/** Text of a tool result with no content. */
export const TOOL_RESULT_EMPTY = '(no output)'
/** Text of a tool result whose content was only images (moved to the message's `images`). */
export const TOOL_RESULT_IMAGES_ONLY = '(see the attached image)'
/** The error result added for a tool call that got no result in the next user message. */
export const TOOL_RESULT_MISSING = 'No result was provided for this tool call.'
/** Description of a tool used in history but no longer declared by the caller. */
export const HISTORY_TOOL_DESCRIPTION = 'A tool used earlier in this conversation; it is no longer available.'

/** Description of a declared tool that had none. */
export function defaultToolDescription(name: string): string {
  return `The ${name} tool.`
}

/** The description left on a tool whose description was too long; the text moves to the system prompt. */
export function movedDescriptionPointer(name: string): string {
  return `The full description of this tool is in the system prompt, in the section "## Tool: ${name}".`
}

/** The system-prompt section that receives a too-long tool description. */
export function movedDescriptionSection(name: string, description: string): string {
  return `## Tool: ${name}\n${description}`
}

/** A tool call written as text (requests without tools, where Kiro rejects structured tool history). */
export function toolUseAsText(name: string, id: string, input: unknown): string {
  return `[Tool call: ${name} (${id})]\n${JSON.stringify(input)}`
}

/** A tool result written as text (no tools, or a result with no matching call). */
export function toolResultAsText(id: string, isError: boolean, text: string): string {
  return `[Tool result (${id})${isError ? ', error' : ''}]\n${text}`
}

/** A call of an Anthropic server tool, as text. */
export function serverToolUseAsText(name: string, id: string, input: unknown): string {
  return `[Server tool call: ${name} (${id})]\n${JSON.stringify(input)}`
}

/** The result of an Anthropic server tool, as text. */
export function serverToolResultAsText(id: string, text: string): string {
  return `[Server tool result (${id})]\n${text}`
}

/** What replaces the images of an older user message dropped to fit the size limit (`trimImages`). */
export function imagesRemoved(count: number): string {
  return count === 1
    ? "(An image sent here earlier was removed to fit Kiro's request size limit.)"
    : `(${count} images sent here earlier were removed to fit Kiro's request size limit.)`
}
