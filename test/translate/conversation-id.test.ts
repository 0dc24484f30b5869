import { describe, expect, it } from 'vitest'
import { conversationIdFor, sessionIdFrom } from '../../src/translate/conversation-id.js'
import { hashUuid } from '../../src/translate/hash.js'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'

const SESSION = '5f1e2d3c-4b5a-4978-8877-665544332211'

describe('conversation ids', () => {
  it('reads the session id from Claude Code user_id, current and legacy forms', () => {
    expect(sessionIdFrom(JSON.stringify({ device_id: 'd', account_uuid: 'a', session_id: SESSION }))).toBe(
      SESSION,
    )
    expect(sessionIdFrom(`user_abc123_account_0b7c6e0e-8f3a-4d59-9d0b-2c1b5b8f0a11_session_${SESSION}`)).toBe(
      SESSION,
    )
    expect(sessionIdFrom('{not json')).toBeUndefined()
    expect(sessionIdFrom('plain-user-id')).toBeUndefined()
    expect(sessionIdFrom(undefined)).toBeUndefined()
  })

  it('uses a plain session id as is and hashes an odd one into a UUID', () => {
    expect(conversationIdFor({ user_id: JSON.stringify({ session_id: SESSION }) }, undefined, [])).toBe(
      SESSION,
    )
    const odd = conversationIdFor(
      { user_id: JSON.stringify({ session_id: 'has spaces/and slashes' }) },
      undefined,
      [],
    )
    expect(odd).toBe(hashUuid('has spaces/and slashes'))
    expect(odd).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('without a session, hashes the system prompt and the first message: stable across turns, distinct across conversations', () => {
    const turn1 = [{ role: 'user', content: 'Plan a trip' }]
    const turn2 = [...turn1, { role: 'assistant', content: 'Where to?' }, { role: 'user', content: 'Rome' }]
    const a = conversationIdFor(undefined, 'sys', turn1)
    expect(conversationIdFor(undefined, 'sys', turn2)).toBe(a)
    expect(
      conversationIdFor(
        undefined,
        [{ type: 'text', text: 'sys' }],
        [{ role: 'user', content: [{ type: 'text', text: 'Plan a trip' }] }],
      ),
    ).toBe(a)
    expect(conversationIdFor(undefined, 'sys', [{ role: 'user', content: 'Plan a hike' }])).not.toBe(a)
    expect(conversationIdFor(undefined, 'other', turn1)).not.toBe(a)
  })

  it('the option wins', () => {
    const t = toKiroRequest(
      {
        model: 'm',
        max_tokens: 1,
        metadata: { user_id: JSON.stringify({ session_id: SESSION }) },
        messages: [{ role: 'user', content: 'x' }],
      },
      { conversationId: 'mine' },
    )
    expect(t.body.conversationState.conversationId).toBe('mine')
    expect(t.conversationId).toBe('mine')
  })
})
