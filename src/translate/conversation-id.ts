import { hashUuid } from './hash.js'
import { isObject } from './invalid.js'

const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/
const LEGACY_SESSION = /_session_([A-Za-z0-9-]+)$/
const HASHED_CHARS = 4096

/**
 * The session id Claude Code puts in `metadata.user_id`: a JSON string with `session_id` (current
 * versions), or `user_<hash>_account_<uuid>_session_<uuid>` (older ones).
 */
export function sessionIdFrom(userId: unknown): string | undefined {
  if (typeof userId !== 'string' || userId === '') return undefined
  if (userId.charCodeAt(0) === 0x7b /* { */) {
    try {
      const parsed: unknown = JSON.parse(userId)
      if (isObject(parsed) && typeof parsed.session_id === 'string' && parsed.session_id !== '') {
        return parsed.session_id
      }
    } catch {
      // Not JSON after all: fall through to the legacy form.
    }
  }
  return LEGACY_SESSION.exec(userId)?.[1]
}

function firstText(content: unknown): string {
  if (typeof content === 'string') return content.slice(0, HASHED_CHARS)
  if (!Array.isArray(content)) return ''
  let text = ''
  for (const block of content) {
    if (isObject(block) && typeof block.text === 'string') text += block.text
    if (text.length >= HASHED_CHARS) break
  }
  return text.slice(0, HASHED_CHARS)
}

/**
 * A `conversationId` that stays the same for every turn of one conversation (docs/protocol.md §3.2):
 * the session id from `metadata.user_id` when there is one (as is when it is a plain id, hashed
 * otherwise), else a UUID-shaped hash of what every turn repeats: the system prompt and the first
 * message, whatever its role (their first 4,096 characters each). Messages are only ever appended
 * to a conversation, so the first one stays put.
 */
export function conversationIdFor(metadata: unknown, system: unknown, messages: readonly unknown[]): string {
  const session = isObject(metadata) ? sessionIdFrom(metadata.user_id) : undefined
  if (session !== undefined) return SAFE_ID.test(session) ? session : hashUuid(session)
  const first = messages[0]
  return hashUuid(`${firstText(system)}\u0000${isObject(first) ? firstText(first.content) : ''}`)
}
