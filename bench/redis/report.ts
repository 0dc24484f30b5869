import { ms, type Section } from '../e2e/report-common.js'
import { table } from '../lib/markdown.js'
import { fmt, verdict } from '../lib/stats.js'
import type { RedisStateResult } from './state.js'

/** BENCHMARKS.md's section for bench/redis/state.ts. */
export function redisSection(r: RedisStateResult): Section {
  const overheadRows = r.overhead.map((o) => [
    o.client,
    `${ms(o.pingP50)} / ${ms(o.pingP99)}`,
    `${ms(o.hotP50)} / ${ms(o.hotP99)}`,
    `${fmt(o.hotP50 / o.pingP50, 2)}x`,
    ms(o.releaseP50),
    ms(o.memoryHotP50, 4),
    `${fmt(o.roundTripsBefore, 2)} + ${fmt(o.roundTripsAfter, 2)}`,
  ])
  const best = r.load.reduce((top, figures) =>
    figures.cyclesPerSecond > top.cyclesPerSecond ? figures : top,
  )
  const loadRows = r.load.map((l) => [
    `${l.processes} x ${l.lanes}`,
    fmt(l.cyclesPerSecond, 0),
    `${fmt(l.redisCpu * 100, 0)}%`,
    l.redisCpu > 0 ? fmt(l.cyclesPerSecond / l.redisCpu, 0) : 'n/a',
    ms(l.clientCpuMsPerCycle, 3),
  ])
  const serverRows = r.server.map((s) => [s.name, fmt(s.perSecond, 0)])
  const acquire = r.server.find((s) => s.name.startsWith('slot acquire'))?.perSecond ?? Number.NaN
  const snapshot = r.server.find((s) => s.name.startsWith('snapshot'))?.perSecond ?? Number.NaN
  const release = r.server.find((s) => s.name.startsWith('slot release'))?.perSecond ?? Number.NaN
  // One request costs one of each on the server: their times add up.
  const ceiling = 1 / (1 / acquire + 1 / snapshot + 1 / release)
  const hotP50 = Math.max(...r.overhead.map((o) => o.hotP50))
  const roundTrips = Math.max(...r.overhead.map((o) => o.roundTripsBefore))
  const markdown = [
    '## 6. Shared state in Redis',
    '',
    "The account pool's calls on `kiro-client/redis` against a local `redis-server` started for the run (no persistence), over loopback (`bench/redis/state.ts`).",
    '',
    `Per request, sequential, ${r.iterations} times interleaved with a PING on the same connection (one round trip: the floor) and the same calls on the memory state. "Before sending" is what a request waits for: the snapshot (statuses, in-flight counts, sticky route) and the slot; the release happens after the response. Round trips are counted by Redis (INFO commandstats: EVALSHA, EVAL and ZREM calls per request).`,
    '',
    table(
      [
        'client',
        'PING p50 / p99',
        'snapshot + acquire p50 / p99',
        'vs PING',
        'release p50',
        'memory state',
        'round trips before + after',
      ],
      overheadRows,
    ),
    '',
    `Throughput: N processes, each with 16 concurrent loops doing snapshot + acquire + release flat out for ${r.loadSeconds} s (ioredis). The clients share the machine's ${r.machine.cores} cores with redis-server, so the curve flattens when the cores are full, not necessarily Redis; redis-server's CPU shows how far Redis itself was from its ceiling.`,
    '',
    table(
      ['processes x loops', 'requests/s', 'redis-server CPU (one core = 100%)', 'client CPU / request'],
      loadRows,
    ),
    '',
    'redis-server alone, `redis-benchmark -n 100000 -c 50` running the same scripts (no Node on the client side): the ceiling of one Redis core for this work.',
    '',
    table(['command', 'requests/s'], serverRows),
    '',
    `One request costs the server one snapshot, one acquire and one release: about ${fmt(ceiling, 0)} requests/s on one Redis core by these figures, far above what the ${r.machine.cores}-core machine's Node processes could send (${fmt(best.cyclesPerSecond, 0)}/s at best here, with ${best.processes} processes).`,
  ].join('\n')
  return {
    markdown,
    headlines: [
      [
        'Redis state, snapshot + slot acquire before sending (p50, slower client)',
        ms(hotP50),
        'p50 < 0.5 ms',
        verdict(hotP50 < 0.5),
      ],
      ['Redis state, round trips before sending', fmt(roundTrips, 2), '<= 2', verdict(roundTrips <= 2)],
      [
        'Redis state, requests/s from N processes (best)',
        `${fmt(best.cyclesPerSecond, 0)} (${best.processes} processes)`,
        '',
        '',
      ],
      ['Redis state, one Redis core alone (redis-benchmark)', `~${fmt(ceiling, 0)} requests/s`, '', ''],
    ],
  }
}
