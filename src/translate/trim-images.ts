import { foldSystem } from './body.js'
import type { ChatMessage, UserInputMessage } from './kiro-types.js'
import type { PairedConversation } from './pairing.js'
import { imagesRemoved } from './placeholders.js'
import { utf8Length } from './size.js'

/** Images of the last this many user messages (the current one included) are always kept. */
export const DEFAULT_KEEP_IMAGE_TURNS = 3

/** What {@link withoutOldImages} did. */
export interface ImagesTrimmed {
  conversation: PairedConversation
  /** Images replaced by a note. */
  removed: number
}

/** The bytes a message's `images` member takes in the serialized body (`,"images":[...]`). */
function imageBytes(message: UserInputMessage): number {
  return message.images === undefined ? 0 : utf8Length(JSON.stringify(message.images)) + 10
}

/**
 * Replaces the images of older user messages with a short note, oldest first, until the bytes
 * saved (estimated) cover `excessBytes`. The images of the last `keepTurns` user messages are never
 * touched: what the model is looking at now stays. Claude Code sessions carry many old screenshots,
 * which the model has already described and no longer needs; this keeps such a session under Kiro's
 * size limit without dropping a word of the conversation (docs/translation.md, "Size limit").
 *
 * Copy on write: the given conversation is not modified. The first message is folded again with
 * `prefix` (the system text), as the translator does.
 */
export function withoutOldImages(
  conversation: PairedConversation,
  prefix: string,
  keepTurns: number,
  excessBytes: number,
): ImagesTrimmed {
  const { messages } = conversation
  // User messages sit at even indices; the last `keepTurns` of them keep their images.
  const lastUser = messages.length - 1
  const firstKept = Math.max(0, lastUser - 2 * (Math.max(1, keepTurns) - 1))
  let out: ChatMessage[] | undefined
  let ownText: string[] | undefined
  let removed = 0
  let saved = 0
  for (let i = 0; i < firstKept && saved < excessBytes; i += 2) {
    const message = (messages[i] as { userInputMessage: UserInputMessage }).userInputMessage
    const images = message.images
    if (images === undefined || images.length === 0) continue
    out ??= [...messages]
    ownText ??= [...conversation.ownText]
    const note = imagesRemoved(images.length)
    const own = conversation.ownText[i] as string
    const text = own === '' ? note : `${own}\n\n${note}`
    const copy: UserInputMessage = { ...message, content: i === 0 ? foldSystem(prefix, text, '') : text }
    delete copy.images
    out[i] = { userInputMessage: copy }
    ownText[i] = text
    removed += images.length
    saved += imageBytes(message) - utf8Length(note) - 2
  }
  if (out === undefined || ownText === undefined) return { conversation, removed: 0 }
  return { conversation: { ...conversation, messages: out, ownText }, removed }
}
