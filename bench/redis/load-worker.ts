// One process of the Redis saturation run: `lanes` loops, each doing what the pool does per request
// on the state (snapshot, take a slot, give it back), from "go" until `durationMs` has passed.
import { Redis } from 'ioredis'
import { createRedisState } from '../../src/redis/index.js'

const { url, lanes, durationMs, prefix } = JSON.parse(process.argv[2]!) as {
  url: string
  lanes: number
  durationMs: number
  prefix: string
}
const redis = new Redis(url)
const state = createRedisState({ redis, prefix, commandTimeoutMs: 2_000 })
const accounts = ['a', 'b', 'c']

async function lane(index: number, until: number): Promise<number> {
  let cycles = 0
  while (performance.now() < until) {
    const account = accounts[(index + cycles) % accounts.length]!
    await state.snapshot(accounts, `conversation-${index}`)
    const slot = await state.acquireSlot(account, 1_000_000, 60_000)
    if (slot !== undefined) await state.releaseSlot(slot)
    cycles += 1
  }
  return cycles
}

// Warm up (JIT, connection) before the measured window, or a short window measures cold code.
for (let i = 0; i < 3; i++)
  await Promise.all(Array.from({ length: lanes }, (_, index) => lane(index, performance.now() + 300)))

process.stdin.once('data', async () => {
  const cpu = process.cpuUsage()
  const until = performance.now() + durationMs
  const counts = await Promise.all(Array.from({ length: lanes }, (_, index) => lane(index, until)))
  const used = process.cpuUsage(cpu)
  process.stdout.write(
    `${JSON.stringify({ cycles: counts.reduce((a, b) => a + b, 0), cpuMs: (used.user + used.system) / 1000 })}\n`,
  )
  redis.disconnect()
  process.exit(0)
})
process.stdout.write('ready\n')
