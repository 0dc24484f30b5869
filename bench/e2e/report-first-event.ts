import { table } from '../lib/markdown.js'
import { fmt, type Summary, verdict } from '../lib/stats.js'
import type { FirstEventResult } from './first-event.js'
import { ms, type Section } from './report-common.js'

export function firstEventSection(r: FirstEventResult): Section {
  const row = (name: string, s: Summary): string[] => [name, ms(s.p50), ms(s.p99), ms(s.min), ms(s.max)]
  const speedup = r.wholeResponseMs.p50 / r.firstEventMs.p50
  const overFloor = r.addedAtFirstEventMs.p50 - r.floorFirstChunkMs.p50
  const markdown = [
    '## 1. Time to first event',
    '',
    `${r.requests} sequential requests through \`client.messages.stream()\` and as many through a plain \`fetch\` (interleaved, after a warm-up), each answered with ${r.scenario}; ${r.eventsPerResponse} Anthropic events per response. The simulator runs in the same process and stamps each frame write with \`performance.now()\`; the caller's \`for await\` loop reads the same clock.`,
    '',
    table(
      ['measure', 'p50', 'p99', 'min', 'max'],
      [
        row('added at the first event: first frame written -> event in the loop', r.addedAtFirstEventMs),
        row(
          'added at the last event: last frame written -> `message_stop` in the loop',
          r.addedAtLastEventMs,
        ),
        row('floor, plain `fetch`: first frame written -> first chunk read', r.floorFirstChunkMs),
        row('floor, plain `fetch`: last frame written -> end of body read', r.floorEndMs),
        row('`stream()` called -> first event', r.firstEventMs),
        row('`stream()` called -> `message_stop` (when a buffering client would answer)', r.wholeResponseMs),
      ],
    ),
    '',
    `The first event reaches the caller ${fmt(speedup, 1)}x sooner than the whole response (p50). "Added" holds what the floor shows (loopback TCP, HTTP in Node's fetch) plus the client's own work: the read through its timers, then decoding and mapping the whole first chunk (100 frames here) before its first event is handed over. Over the floor the client adds ${ms(overFloor)} at p50.`,
  ].join('\n')
  return {
    markdown,
    headlines: [
      [
        'Time to first event, added (p50 / p99)',
        `${ms(r.addedAtFirstEventMs.p50)} / ${ms(r.addedAtFirstEventMs.p99)}`,
        'p50 < 1 ms',
        verdict(r.addedAtFirstEventMs.p50 < 1),
      ],
      [
        'Time to first event, added over a plain fetch reading its first chunk (p50)',
        ms(overFloor),
        'p50 < 0.5 ms',
        verdict(overFloor < 0.5),
      ],
      ['First event vs whole response (p50)', `${fmt(speedup, 1)}x sooner`, '', ''],
    ],
  }
}
