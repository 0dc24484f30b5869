import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** Each example, and what its output must show when it worked. */
const EXAMPLES: Array<[string, RegExp[]]> = [
  ['basic-stream.ts', [/You said: "Say hello in three languages\."/, /\[end_turn, \d+ output tokens\]/]],
  ['create.ts', [/You said: "What is an event stream\?"/, /stop_reason: end_turn/, /usage: \d+ in, \d+ out/]],
  [
    'tool-use-loop.ts',
    [/assistant: I will call get_weather/, /tool get_weather\(\{"city":/, /assistant: The tool answered/],
  ],
  ['hono-server.ts', [/listening on http:\/\/127\.0\.0\.1:\d+/, /200 You said: "Hello through Hono"/]],
  [
    'node-server.ts',
    [/200 text\/event-stream; charset=utf-8/, /event: message_start[\s\S]*event: message_stop/],
  ],
  [
    'anthropic-sdk.ts',
    [
      /You said: "Hello from the Anthropic SDK"/,
      /\[stream: end_turn, request req_\w+\]/,
      /\[count_tokens: \d+\]/,
    ],
  ],
  ['vercel-ai-sdk.ts', [/You said: "Hello from the Vercel AI SDK"/, /\[finish: stop, \d+ output tokens\]/]],
]

async function run(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `examples/${file}`], { cwd: ROOT })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const [code] = (await once(child, 'close')) as [number | null]
  return { code, stdout, stderr }
}

describe('examples/ (each runs against the simulator and exits 0)', () => {
  it.each(EXAMPLES)('%s', async (file, patterns) => {
    const result = await run(file)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    for (const pattern of patterns) expect(result.stdout).toMatch(pattern)
  })
})
