import Anthropic from '@anthropic-ai/sdk'
import { describe, expect, it } from 'vitest'
import { parseCommandArgs } from '../../src/cli/args.js'
import { type FlagContext, resolveFlags, tableOptions } from '../../src/cli/flag-kinds.js'
import type { CliIo } from '../../src/cli/io.js'
import { runCli } from '../../src/cli/main.js'
import { serveClientOptions } from '../../src/cli/serve/client-options.js'
import { SERVE_FLAGS } from '../../src/cli/serve/flags.js'

const context: FlagContext = { env: {}, readFile: async () => '', warn: () => {} }

async function flags(args: string[]) {
  const parsed = parseCommandArgs(args, tableOptions(SERVE_FLAGS), false)
  return resolveFlags(SERVE_FLAGS, parsed.values, context)
}

function memoryIo() {
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    color: false,
    env: {},
    readStdin: async () => undefined,
  }
  return { io, out, err }
}

describe('the request flags of kiro-client serve', () => {
  it('--diagnose-400 turns on the 400 diagnosis', async () => {
    expect(serveClientOptions(await flags(['--diagnose-400']))).toMatchObject({ diagnose400: true })
    expect(serveClientOptions(await flags([]))).not.toHaveProperty('diagnose400')
  })

  it('default to what Claude Code needs: old images trimmed, transient retries only, no history dropped', async () => {
    expect(serveClientOptions(await flags([]))).toEqual({
      trimImages: true,
      trimHistory: false,
      maxRetries: 3,
      retryScope: 'transient',
      timeout: 60_000,
    })
  })

  it('set the client options they name', async () => {
    const values = await flags([
      '--trim-history',
      '--keep-images',
      '--max-retries',
      '1',
      '--timeout',
      '5000',
      '--model-map',
      'claude-opus-4-8=claude-sonnet-4.5',
      '--model-map=claude-haiku-4-5 = claude-haiku-4.5',
    ])
    expect(serveClientOptions(values)).toEqual({
      trimImages: false,
      trimHistory: true,
      maxRetries: 1,
      retryScope: 'transient',
      timeout: 5000,
      modelMap: { 'claude-opus-4-8': 'claude-sonnet-4.5', 'claude-haiku-4-5': 'claude-haiku-4.5' },
    })
  })

  it.each([
    [['--model-map', 'no-equals-sign'], /--model-map: expected FROM=TO, got "no-equals-sign"/],
    [['--model-map', '=to'], /--model-map: expected FROM=TO/],
    [['--max-retries', '21'], /--max-retries: expected a whole number from 0 to 20/],
    [['--timeout', '0'], /--timeout: expected a whole number from 1/],
  ])('refuse %j naming the flag', async (args, message) => {
    await expect(flags(args)).rejects.toThrow(message)
  })

  it('are listed in serve --help', async () => {
    const { io, out } = memoryIo()
    expect(await runCli(['serve', '--help'], io, async () => {})).toBe(0)
    const help = out.join('')
    for (const flag of [
      '--trim-history',
      '--keep-images',
      '--max-retries N',
      '--timeout MS',
      '--model-map FROM=TO',
      '--no-coalesce-deltas',
    ]) {
      expect(help).toContain(flag)
    }
  })

  it('serve starts with them and answers (in process, simulated Kiro)', async () => {
    const { io, out } = memoryIo()
    let stop: () => void = () => {}
    const stopped = new Promise<void>((resolve) => {
      stop = resolve
    })
    const running = runCli(
      [
        'serve',
        '--simulate',
        '--port',
        '0',
        '--max-retries',
        '0',
        '--timeout',
        '30000',
        '--model-map',
        'a=b',
      ],
      io,
      () => stopped,
    )
    while (!out.join('').includes('listening on')) await new Promise((resolve) => setTimeout(resolve, 20))
    const url = /listening on (http:\/\/\S+)/.exec(out.join(''))?.[1] ?? ''
    const sdk = new Anthropic({ baseURL: url, apiKey: 'unused', maxRetries: 0 })
    const message = await sdk.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hello flags' }],
    })
    expect(message.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Hello flags') })
    stop()
    expect(await running).toBe(0)
  })

  it('serve joins the deltas of one read by default; --no-coalesce-deltas sends each as it came', async () => {
    expect((await flags([])).noCoalesceDeltas).toBe(false)
    expect((await flags(['--no-coalesce-deltas'])).noCoalesceDeltas).toBe(true)
    const answer = async (extra: string[]) => {
      const { io, out } = memoryIo()
      let stop: () => void = () => {}
      const stopped = new Promise<void>((resolve) => {
        stop = resolve
      })
      const running = runCli(['serve', '--simulate', '--port', '0', ...extra], io, () => stopped)
      while (!out.join('').includes('listening on')) await new Promise((resolve) => setTimeout(resolve, 20))
      const url = /listening on (http:\/\/\S+)/.exec(out.join(''))?.[1] ?? ''
      const sdk = new Anthropic({ baseURL: url, apiKey: 'unused', maxRetries: 0 })
      const stream = sdk.messages.stream({
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Hello deltas' }],
      })
      let deltas = 0
      stream.on('text', () => deltas++)
      const text = await stream.finalText()
      stop()
      expect(await running).toBe(0)
      return { text, deltas }
    }
    const plain = await answer(['--no-coalesce-deltas'])
    const joined = await answer([])
    expect(joined.text).toBe(plain.text)
    expect(plain.text).toContain('Hello deltas')
    // The simulator sends three words per event, the whole answer in one write: off, one delta per
    // event; on, the events that reached the server in one read are one delta.
    expect(plain.deltas).toBe(Math.ceil(plain.text.split(' ').length / 3))
    expect(joined.deltas).toBeLessThan(plain.deltas)
  })
})
