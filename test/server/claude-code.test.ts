import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseSSE } from './fake-backend.js'
import { proxy } from './proxy-harness.js'

// Replays what Claude Code 2.1.197 really sent to `kiro-client serve --simulate` (`claude -p "say
// hello"`, captured by a logging proxy; texts trimmed, ids replaced, auth headers removed):
// the probe of the base URL, the first turn (24 tools, adaptive thinking, a `role: "system"`
// message, context_management, output_config) and the turn carrying the tool result, which
// echoes the assistant turn verbatim (thinking with its signature, `citations: null`). It was
// captured when the simulator still called the first tool offered; that turn is replayed as is.

interface CapturedRequest {
  path: string
  headers: Record<string, string>
  body: { tools: Array<{ name: string }>; messages: Array<{ role: string; content: unknown }> }
}

const captured = JSON.parse(
  readFileSync(new URL('../fixtures/claude-code/requests.json', import.meta.url), 'utf8'),
) as { probe: { method: string; path: string }; firstTurn: CapturedRequest; toolResultTurn: CapturedRequest }

function send(url: string, request: CapturedRequest, auth: Record<string, string>): Promise<Response> {
  return fetch(`${url}${request.path}`, {
    method: 'POST',
    headers: { ...request.headers, ...auth },
    body: JSON.stringify(request.body),
  })
}

/** The SSE frames of a response, with the fields these tests read. */
function framesOf(text: string) {
  return parseSSE(text) as Array<{
    event: string
    data: { type: string; content_block?: { type: string; name?: string }; delta?: { stop_reason?: string } }
  }>
}

// Both variables set, as a user with an everyday Anthropic key who follows the banner would have
// them: Claude Code then sends both headers, and only the Bearer one holds the proxy's key.
const bothKeys = { 'x-api-key': 'sk-ant-everyday-key', authorization: 'Bearer proxy-key' }

describe('requests captured from Claude Code 2.1.197', () => {
  it('probe, first turn, tool result turn: all answered, every upstream request well formed', async () => {
    const { sim, url } = await proxy({ apiKey: 'proxy-key' })
    const { probe, firstTurn, toolResultTurn } = captured
    expect(firstTurn.path).toBe('/v1/messages?beta=true')
    expect(firstTurn.body.tools).toHaveLength(24)
    expect(firstTurn.body.messages.some((message) => message.role === 'system')).toBe(true)

    expect((await fetch(`${url}${probe.path}`, { method: probe.method })).status).toBe(200)

    const first = await send(url, firstTurn, bothKeys)
    expect(first.status).toBe(200)
    const frames = framesOf(await first.text())
    for (const frame of frames) expect(frame.event).toBe(frame.data.type)
    expect(frames.at(-1)?.event).toBe('message_stop')
    // "say hello" asks for no tool: the simulator's default assistant answers text and the turn
    // ends, although Claude Code's reminders and system message name its tools (`Agent`...).
    expect(frames.some((frame) => frame.data.content_block?.type === 'tool_use')).toBe(false)
    const delta = frames.find((frame) => frame.event === 'message_delta')
    expect(delta?.data.delta).toMatchObject({ stop_reason: 'end_turn' })

    const second = await send(url, toolResultTurn, bothKeys)
    expect(second.status).toBe(200)
    const secondFrames = framesOf(await second.text())
    expect(secondFrames.at(-1)?.event).toBe('message_stop')
    expect(secondFrames.find((frame) => frame.event === 'message_delta')?.data.delta).toMatchObject({
      stop_reason: 'end_turn',
    })

    expect(sim.generateRequests).toHaveLength(2)
    for (const upstream of sim.generateRequests) {
      expect(upstream.shapeIssues).toEqual([])
      expect(upstream.response.status).toBe(200)
    }
    // The tool result reached Kiro, tied to the tool call it answers.
    const [assistant, result] = toolResultTurn.body.messages.slice(-2)
    const blocks = (assistant?.content ?? []) as Array<{ type: string; id?: string }>
    const toolUse = blocks.find((block) => block.type === 'tool_use')
    expect(result?.role).toBe('user')
    expect(toolUse?.id).toBeDefined()
    expect(sim.generateRequests[1]?.body).toContain(toolUse?.id)
  })

  it('ends at once with a wrong key: 401 that no client retries, nothing sent upstream', async () => {
    const { sim, url } = await proxy({ apiKey: 'proxy-key' })
    const response = await send(url, captured.firstTurn, { 'x-api-key': 'sk-ant-everyday-key' })
    expect(response.status).toBe(401)
    expect(response.headers.get('x-should-retry')).toBe('false')
    expect((await response.json()).error.type).toBe('authentication_error')
    expect(sim.generateRequests).toHaveLength(0)
  })
})
