import { table } from '../lib/markdown.js'
import { deltaMib, fmt, kib, mib, verdict } from '../lib/stats.js'
import type { MemoryResult } from './memory.js'
import type { MemoryRun } from './memory-run.js'
import type { Section } from './report-common.js'

const LABELS: Record<string, string> = {
  client: 'kiro-client `messages.stream()` (keeps the final message)',
  pipeline: "kiro-client's streaming path without the message (fetch, decoder, event mapper)",
  fetch: 'plain `fetch`, body drained',
}

const growth = (run: MemoryRun) => run.rssPeak - run.rssBefore
const heapGrowth = (run: MemoryRun) => run.heapPeak - run.heapBefore
const bufferGrowth = (run: MemoryRun) => run.arrayBuffersPeak - run.arrayBuffersBefore

export function memorySection(r: MemoryResult): Section {
  const find = (path: string, size: string) =>
    r.runs.find((run) => run.path === path && run.scenario === size)
  const small = find('pipeline', 'big-10')
  const big = find('pipeline', 'big-50')
  const repeats = r.runs[0]?.rssGrowths.length ?? 0
  const rows = r.runs.map((run) => [
    `${LABELS[run.path] ?? run.path} · ${run.scenario.replace('big-', '')} MiB`,
    mib(run.rssBefore),
    mib(run.rssPeak),
    `${deltaMib(growth(run))} (${run.rssGrowths.map(deltaMib).join(', ')})`,
    deltaMib(heapGrowth(run)),
    deltaMib(bufferGrowth(run)),
    deltaMib(run.heapRetained),
    run.largestChunk ? kib(run.largestChunk) : '',
    `${fmt(run.seconds, 2)} s`,
  ])
  const markdown = [
    '## 5. Memory for a big response',
    '',
    `Responses of ${Object.values(r.scenarios).join(' and ')}. Each path and size is read ${repeats} times, each time in a fresh process after a warm-up, with the simulator in its own process; the table shows the run with the median RSS growth (every run's growth in brackets). RSS, heap and ArrayBuffer memory are sampled every 2 ms and every few hundred events; "retained" is the heap still in use after the response and a full GC, with the result still referenced.`,
    '',
    table(
      [
        'path · answer text',
        'RSS before',
        'RSS peak',
        `RSS growth (${repeats} runs)`,
        'heap peak growth',
        'ArrayBuffers peak growth',
        'heap retained',
        'largest chunk',
        'time',
      ],
      rows,
    ),
    ...(small && big
      ? [
          '',
          `The streaming path reads one chunk at a time: from the 10 MiB to the 50 MiB response its RSS growth goes from ${deltaMib(growth(small))} to ${deltaMib(growth(big))}, its heap peak growth from ${deltaMib(heapGrowth(small))} to ${deltaMib(heapGrowth(big))} and its ArrayBuffer peak growth from ${deltaMib(bufferGrowth(small))} to ${deltaMib(bufferGrowth(big))}.`,
        ]
      : []),
    '',
    "`messages.stream()` also keeps the final message (for `finalMessage()` and `currentMessage`), so it retains the answer text, as `@anthropic-ai/sdk`'s MessageStream does. A plain fetch retains nothing, but the chunks it drains are ArrayBuffers that V8 frees only at its next GC, so its RSS peak follows GC timing.",
  ].join('\n')
  const headlines: Section['headlines'] = []
  if (small && big) {
    headlines.push([
      'Peak RSS growth, 10 MiB vs 50 MiB response, streaming path (heap peak growth)',
      `${deltaMib(growth(small))} vs ${deltaMib(growth(big))} (${deltaMib(heapGrowth(small))} vs ${deltaMib(heapGrowth(big))})`,
      // Memory that followed the response would grow 40 MiB more for the 50 MiB response; RSS noise
      // between processes is several MiB. A quarter of the difference separates the two cleanly.
      'flat: 50 MiB grows < 10 MiB more than 10 MiB',
      verdict(growth(big) - growth(small) < 10 * 1024 * 1024),
    ])
  }
  const client = find('client', 'big-50')
  if (client) {
    headlines.push([
      '50 MiB response through `messages.stream()`: heap retained (the final message)',
      deltaMib(client.heapRetained),
      '',
      '',
    ])
  }
  return { markdown, headlines }
}
