/**
 * The scripted responses every end-to-end case streams, and the request that asks for them. The
 * 5,000-message stream is the very one the codec and mapper benchmarks decode
 * (bench/eventstream/kiro-stream.ts), turned back into simulator steps so the simulator re-encodes it
 * byte for byte; the end-to-end figures and the module figures describe the same bytes.
 */
import { EventStreamDecoder } from '../../src/eventstream/decoder.js'
import type { ScriptedTurn, ScriptStep } from '../../src/testing/index.js'
import type { MessageCreateParams } from '../../src/types/anthropic-request.js'
import { kiroStream } from '../eventstream/kiro-stream.js'

/** Request header that picks a scenario per request; the simulator's default serves the rest. */
export const SCENARIO_HEADER = 'x-bench-scenario'

export type ScenarioName =
  | 'bulk'
  | 'bulk-50k'
  | 'tool-8k'
  | 'paced-bulk'
  | 'paced'
  | 'trickle'
  | 'tokens'
  | 'hold'
  | 'big-10'
  | 'big-50'

/** The request of every case: it declares the tool the stream calls, as a real request would. */
export const benchParams: MessageCreateParams = {
  model: 'claude-sonnet-4-5',
  max_tokens: 4096,
  messages: [{ role: 'user', content: 'Read the file and summarise it.' }],
  tools: [
    {
      name: 'read_file',
      description: 'Reads a file',
      input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    },
  ],
}

const text = new TextDecoder()

/** The 5,000 messages of the module benchmarks as `{ event, payload }` steps. */
function kiroSteps(count: number): ScriptStep[] {
  const decoder = new EventStreamDecoder()
  const steps: ScriptStep[] = []
  for (const message of decoder.push(kiroStream(count).bytes)) {
    const type = message.headers[':event-type']
    if (type?.type !== 'string') throw new Error('kiroStream produced a message without :event-type')
    steps.push({ event: type.value, payload: JSON.parse(text.decode(message.payload)) as unknown })
  }
  decoder.end()
  return steps
}

/** Inserts a `delayMs` step after every `size` steps, so the simulator writes in timed bursts. */
function inBursts(steps: readonly ScriptStep[], size: number, delayMs: number): ScriptStep[] {
  const out: ScriptStep[] = []
  steps.forEach((step, index) => {
    if (index > 0 && index % size === 0) out.push({ delayMs })
    out.push(step)
  })
  return out
}

const WORDS = 'kiro streams tokens back to node while the event loop stays free for other work'.split(' ')

/** `megabytes` MiB of answer text in 1 KiB text events (each a distinct string). */
function bigText(megabytes: number): ScriptStep[] {
  const chunks: string[] = []
  const count = megabytes * 1024
  for (let i = 0; i < count; i++) {
    let chunk = `${i} `
    for (let w = i; chunk.length < 1024; w = (w * 31 + 7) % 9973) chunk += `${WORDS[w % WORDS.length]} `
    chunks.push(chunk.slice(0, 1024))
  }
  return [{ text: chunks }, { metering: 1.5 }, { contextUsage: 4 }]
}

/** One short paced answer: `frames` text events, `gapMs` apart (a model emitting tokens). */
function paced(frames: number, gapMs: number): ScriptStep[] {
  const steps: ScriptStep[] = []
  for (let i = 0; i < frames; i++) {
    if (i > 0) steps.push({ delayMs: gapMs })
    steps.push({ text: `token ${i} of a paced answer, about forty characters. ` })
  }
  steps.push({ metering: 0.02 }, { contextUsage: 1.5 })
  return steps
}

/** Number of input fragments of the fragmented tool call. */
export const TOOL_FRAGMENTS = 8_000

/**
 * One tool call whose input arrives in `count` fragments (a long file written by the model): a valid
 * JSON object once joined, with escapes (`\n`, `\"`) here and there, as real file contents have.
 */
function fragmentedTool(count: number): ScriptStep[] {
  const fragments = ['{"path": "notes/long.md", "content": "']
  for (let i = 1; i < count - 1; i++) {
    const word = WORDS[(i * 7) % WORDS.length]
    fragments.push(i % 50 === 0 ? `${word}\\n` : i % 333 === 0 ? `\\"${word}\\" ` : `${word} `)
  }
  fragments.push('"}')
  return [
    { text: 'Writing the file now.' },
    { toolUse: { name: 'read_file', id: 'tooluse_ZnJhZ21lbnRlZFRvb2xJbnB1dA', input: fragments } },
    { metering: 0.5 },
    { contextUsage: 2 },
  ]
}

/** What each scenario is, for the report. */
export const SCENARIO_DESCRIPTIONS: Record<ScenarioName, string> = {
  bulk: '5,000 Kiro messages (786 KB: text deltas, a 40-fragment tool call, metering, context usage), written at once',
  'bulk-50k': 'the same kind of stream ten times longer: 50,000 Kiro messages (7.9 MB), written at once',
  'tool-8k': `one tool call whose input (a JSON object, ~50 KB) arrives in ${TOOL_FRAGMENTS.toLocaleString('en-US')} fragments`,
  'paced-bulk': 'the same 5,000 messages in 50 bursts of 100, 1 ms apart',
  paced:
    '50 text events 100 ms apart (~5 s per stream, a model emitting tokens), then metering and context usage',
  trickle: '1,000 text events, each written alone (one chunk each), ~1 ms apart',
  tokens: '20 text events 2 ms apart (each written alone), then metering and context usage',
  hold: '10 text events, then silence until the client aborts (streams held in flight)',
  'big-10': '10 MiB of answer text in 1 KiB text events',
  'big-50': '50 MiB of answer text in 1 KiB text events',
}

const builders: Record<ScenarioName, () => ScriptedTurn> = {
  bulk: () => kiroSteps(5_000),
  'bulk-50k': () => kiroSteps(50_000),
  'tool-8k': () => fragmentedTool(TOOL_FRAGMENTS),
  'paced-bulk': () => inBursts(kiroSteps(5_000), 100, 1),
  paced: () => paced(50, 100),
  trickle: () => paced(1_000, 0),
  tokens: () => paced(20, 2),
  hold: () => [{ text: Array.from({ length: 10 }, (_, i) => `held ${i} `) }, { stall: true }],
  'big-10': () => bigText(10),
  'big-50': () => bigText(50),
}

const built = new Map<ScenarioName, ScriptedTurn>()

/** The turn of a scenario, built once (the simulator caches the compiled frames per turn object). */
export function scenario(name: ScenarioName): ScriptedTurn {
  let turn = built.get(name)
  if (!turn) {
    turn = builders[name]()
    built.set(name, turn)
  }
  return turn
}

export function isScenarioName(value: string | undefined): value is ScenarioName {
  return value !== undefined && Object.hasOwn(builders, value)
}
