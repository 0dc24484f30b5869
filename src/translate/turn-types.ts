import type { ImageBlock, JsonObject, ReasoningContent } from './kiro-types.js'
import type { ToolNameRegistry } from './tool-names.js'

/** A tool result waiting to be paired with the call it answers. */
export interface PendingResult {
  /** The caller's `tool_use_id`. */
  readonly id: string
  readonly isError: boolean
  /** Flattened text; may be empty (a placeholder is used then). */
  readonly text: string
  /** True when the result's content was only images (moved to the turn's `images`). */
  readonly imagesOnly: boolean
}

/** A tool call of an assistant turn. */
export interface PendingUse {
  /** The caller's `id`. */
  readonly id: string
  /** The Kiro tool name. */
  readonly name: string
  readonly input: JsonObject
}

/** Consecutive user (and system) messages, merged. Parts keep their order: texts and results. */
export interface UserTurn {
  readonly role: 'user'
  readonly parts: Array<string | PendingResult>
  readonly images: ImageBlock[]
}

/** Consecutive assistant messages, merged. */
export interface AssistantTurn {
  readonly role: 'assistant'
  readonly parts: string[]
  readonly uses: PendingUse[]
  /** The newest reasoning blob of the merged messages (Kiro takes one per turn). */
  reasoning: ReasoningContent | undefined
}

export type Turn = UserTurn | AssistantTurn

/** What block conversion needs to know about the request. */
export interface BlockContext {
  /** No tools declared: tool calls and results become text (docs/protocol.md §3.5 rule 6). */
  readonly flattenTools: boolean
  readonly names: ToolNameRegistry
}
