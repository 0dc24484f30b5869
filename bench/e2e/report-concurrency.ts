import { table } from '../lib/markdown.js'
import { fmt, kib, verdict } from '../lib/stats.js'
import type { ConcurrencyResult, PathFigures } from './concurrency.js'
import { ms, type Section } from './report-common.js'

export function concurrencySection(r: ConcurrencyResult): Section {
  const rows: string[][] = []
  for (const level of r.levels) {
    const paths: Array<[string, PathFigures]> = [
      ['kiro-client', level.ours],
      ['fetch floor', level.floor],
    ]
    for (const [name, f] of paths) {
      rows.push([
        `${level.concurrency} · ${name}`,
        `${f.load.completed}/${f.load.requests}`,
        `${fmt(f.load.requestsPerSecond, 1)} (ideal ${fmt(level.idealRequestsPerSecond, 1)})`,
        ms(f.load.cpuMsPerRequest, 2),
        ms(f.load.eventLoopDelayP99Ms, 2),
        ms(f.load.eventLoopDelayMaxMs, 1),
        kib(f.held.heapPerStreamBytes),
        ms(f.held.burstStartMs, 1),
      ])
    }
  }
  const markdown = [
    '## 3. Concurrency',
    '',
    `Concurrent streams through one \`KiroClient\`, beside a plain \`fetch\` draining the same responses at the same concurrency. Each response is ${r.scenario}; one stream alone takes ${ms(r.singleStreamMs, 0)}. Each of N workers runs 2 streams back to back, the workers starting spread over one stream's duration, so that N streams are in flight and requests arrive at a steady rate, as at a server.`,
    '',
    '- Event-loop delay: `monitorEventLoopDelay` at 1 ms resolution over the load run, the 1 ms interval itself subtracted.',
    '- CPU per stream: process CPU over the load run divided by the streams completed. At low concurrency it is dominated by the cost of waking an idle process.',
    '- Heap per in-flight stream: N streams opened in one tick and held open after their first events (the simulator stalls), `heapUsed` after a full GC against before, divided by N. At 1 stream the figure is within GC noise.',
    '- Burst start: how long opening those N streams in one tick kept the event loop busy.',
    '- The simulator runs in a child process; its work shows in none of the figures.',
    '',
    table(
      [
        'streams · path',
        'completed',
        'req/s',
        'CPU / stream',
        'loop delay p99',
        'loop delay max',
        'heap / in-flight stream',
        'burst start',
      ],
      rows,
    ),
  ].join('\n')
  const top = r.levels.at(-1)
  const headlines: Section['headlines'] = []
  if (top) {
    const { load, held } = top.ours
    headlines.push(
      [
        `${top.concurrency} concurrent streams, completed`,
        `${load.completed}/${load.requests}`,
        'all',
        verdict(load.failed === 0 && load.completed === load.requests),
      ],
      [
        `${top.concurrency} concurrent streams, event-loop delay p99 (fetch floor)`,
        `${ms(load.eventLoopDelayP99Ms, 1)} (${ms(top.floor.load.eventLoopDelayP99Ms, 1)})`,
        '< 50 ms',
        verdict(load.eventLoopDelayP99Ms < 50),
      ],
      [
        `${top.concurrency} concurrent streams, heap per in-flight stream (fetch floor)`,
        `${kib(held.heapPerStreamBytes)} (${kib(top.floor.held.heapPerStreamBytes)})`,
        '< 64 KiB',
        verdict(held.heapPerStreamBytes < 64 * 1024),
      ],
      [
        `${top.concurrency} streams opened in one tick, event loop busy (fetch floor)`,
        `${ms(held.burstStartMs, 0)} (${ms(top.floor.held.burstStartMs, 0)})`,
        '',
        '',
      ],
    )
  }
  return { markdown, headlines }
}
