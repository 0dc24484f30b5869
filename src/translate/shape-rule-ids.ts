/** The rules of Kiro's request shape the checker knows (docs/protocol.md §10). */
export type ShapeRule =
  | 'structure'
  | 'no-null'
  | 'size'
  | 'enum'
  | 'conversation-id'
  | 'alternation'
  | 'non-empty-content'
  | 'tool-pairing'
  | 'tool-use-id'
  | 'tools-declared'
  | 'thinking-tags-with-results'
  | 'tool-name'
  | 'tool-description'
  | 'tool-schema'
  | 'tool-input'
  | 'base64'
  | 'reasoning'

export interface ShapeRuleInfo {
  /** What Kiro refuses, in one line: what the rule protects against. */
  protects: string
  /** Where our checker asks for more than Kiro is known to refuse, when it does. */
  stricter?: string
}

/** Each rule's reason, for error messages and docs/protocol.md §10. */
export const SHAPE_RULES: Readonly<Record<ShapeRule, ShapeRuleInfo>> = {
  structure: {
    protects:
      'members of the wrong kind (a message that is not exactly one of the two roles, a list that is not a list)',
  },
  'no-null': { protects: 'null members: Kiro refuses null where a member may only be absent' },
  size: {
    protects: 'bodies over about 615 KB, which Kiro refuses as improperly formed',
    stricter: 'the limit is 600,000 bytes by default, with a margin under the measured one',
  },
  enum: {
    protects:
      "values outside Kiro's enums (chatTriggerType, agentTaskType, origin, image format, result status)",
  },
  'conversation-id': {
    protects: 'an empty or over-long conversationId (Kiro has an INVALID_CONVERSATION_ID reason)',
  },
  alternation: {
    protects: 'a history that does not start with a user message, or two messages of the same role in a row',
  },
  'non-empty-content': {
    protects: 'empty message content and empty tool result text',
    stricter:
      'peers have sent an empty user content next to tool results and Kiro took it; we never send empty content',
  },
  'tool-pairing': {
    protects:
      'a tool result that answers no call of the assistant message just before it, a duplicated result, or a call left without a result',
  },
  'tool-use-id': { protects: 'tool use ids outside ^[a-zA-Z0-9_-]{1,64}$ or used twice in a conversation' },
  'tools-declared': {
    protects: 'tool calls or results in the conversation without the tools declared in the current message',
    stricter:
      'Kiro matches names case-insensitively; so do we, but we also refuse a call to a tool not declared at all',
  },
  'thinking-tags-with-results': {
    protects: 'thinking control tags in a message that carries tool results',
  },
  'tool-name': { protects: 'tool names outside ^[a-zA-Z0-9_-]{1,64}$ ("Invalid tool use format")' },
  'tool-description': { protects: 'empty tool descriptions, or ones over 10,000 characters' },
  'tool-schema': {
    protects: 'input schemas without type or properties, or with an empty required list',
    stricter:
      'the peers disagree (one removes empty required lists, one adds them): we require the shape both accept',
  },
  'tool-input': { protects: 'tool inputs that are not objects, or objects with an empty key' },
  base64: { protects: 'image bytes or redacted reasoning that are not base64' },
  reasoning: {
    protects:
      'a reasoning blob in another form than one of its three shapes, or on an assistant message with neither text nor tool uses',
  },
}
