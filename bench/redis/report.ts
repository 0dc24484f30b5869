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
  // Redis's capacity for this work, from the run that kept it busiest: requests per second of its CPU.
  const busiest = r.load.reduce((top, figures) => (figures.redisCpu > top.redisCpu ? figures : top))
  const perRedisCore = busiest.cyclesPerSecond / busiest.redisCpu
  const processes = (n: number) => `${n} process${n === 1 ? '' : 'es'}`
  const hotP50 = Math.max(...r.overhead.map((o) => o.hotP50))
  const roundTrips = Math.max(...r.overhead.map((o) => o.roundTripsBefore))
  const markdown = [
    '## 7. Shared state in Redis',
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
      [
        'processes x loops',
        'requests/s',
        'redis-server CPU (one core = 100%)',
        'requests/s per Redis core (extrapolated)',
        'client CPU / request',
      ],
      loadRows,
    ),
    '',
    '`redis-benchmark -n 100000 -c 50` on the same scripts: no Node on the client side, but its 50 connections run on the same cores as redis-server, so on a small machine it measures the pair, not Redis alone.',
    '',
    table(['command', 'requests/s'], serverRows),
    '',
    `At best ${fmt(best.cyclesPerSecond, 0)} requests/s reached Redis here (${processes(best.processes)}), the Node processes running out of CPU first. By redis-server's own CPU time in the busiest run (${fmt(busiest.redisCpu * 100, 0)}% of a core for ${fmt(busiest.cyclesPerSecond, 0)} requests/s), one Redis core serves about ${fmt(perRedisCore, 0)} requests/s of this work: at about ${fmt(best.cyclesPerSecond / best.processes, 0)} requests/s per process, that is about ${fmt(perRedisCore / (best.cyclesPerSecond / best.processes), 0)} such processes flat out, far more at the request rates of real model calls (seconds each).`,
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
        'Redis state, requests/s reaching Redis (best)',
        `${fmt(best.cyclesPerSecond, 0)} (${processes(best.processes)})`,
        '',
        '',
      ],
      ['Redis state, requests/s one Redis core serves (by its CPU)', `~${fmt(perRedisCore, 0)}`, '', ''],
    ],
  }
}
