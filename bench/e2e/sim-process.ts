/**
 * A simulator in its own process, so that a case measuring the client's CPU, heap, RSS or event-loop
 * delay measures the client alone. Started by `remote-simulator.ts` over IPC; serves the scenario named
 * by the `x-bench-scenario` request header, or the default given as the first argument.
 */
import { createKiroSimulator } from '../../src/testing/index.js'
import { isScenarioName, SCENARIO_HEADER, scenario } from './scenarios.js'

const fallback = process.argv[2]
if (!isScenarioName(fallback)) throw new Error(`sim-process: unknown default scenario ${String(fallback)}`)

const sim = await createKiroSimulator({
  script: (request) => {
    // The request log grows with every call; a benchmark making thousands of calls must not let the
    // simulator's memory grow with it.
    if (sim.requests.length > 64) sim.clear()
    const asked = request.headers[SCENARIO_HEADER]
    return scenario(isScenarioName(asked) ? asked : fallback)
  },
})

process.on('message', (message: unknown) => {
  if (message === 'close') void sim.close().then(() => process.exit(0))
})
// A benchmark that crashed leaves no simulator behind.
process.on('disconnect', () => process.exit(0))
process.send?.({ url: sim.url })
