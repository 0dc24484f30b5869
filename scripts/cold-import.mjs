// Measures a cold `import('kiro-client')` of the built package: each run is a fresh Node process
// that times the dynamic import alone; the median is printed. Run `npm run build` first.
//   node scripts/cold-import.mjs [--runs 21] [--entry kiro-client/testing] [--require]
//                                [--against DIR]   a second checkout, built; runs alternate
// With --against, both packages are measured in the same run (alternating, so machine load hits
// both alike) and the ratio is printed: compare figures of one run only. Every run also times the
// import of an empty module, what Node itself costs, as a floor.
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2)
const flag = (name, fallback) => {
  const at = args.indexOf(name)
  return at === -1 ? fallback : args[at + 1]
}
const runs = Number(flag('--runs', '21'))
const entry = flag('--entry', 'kiro-client')
const useRequire = args.includes('--require')
const here = fileURLToPath(new URL('../', import.meta.url))
const against = flag('--against', undefined)
const dirs = against === undefined ? [here] : [here, resolve(against)]

const load = useRequire ? `require(${JSON.stringify(entry)})` : `await import(${JSON.stringify(entry)})`
const program = `const t = performance.now(); ${load}; process.stdout.write(String(performance.now() - t))`
const argv = useRequire ? ['-e', program] : ['--input-type=module', '-e', program]
const empty = useRequire ? `require('node:os')` : `await import('data:text/javascript,export default 1')`
const floorProgram = `const t = performance.now(); ${empty}; process.stdout.write(String(performance.now() - t))`
const floorArgv = useRequire ? ['-e', floorProgram] : ['--input-type=module', '-e', floorProgram]
const times = dirs.map(() => [])
const floor = []
for (let i = 0; i < runs; i++) {
  for (const [k, cwd] of dirs.entries()) {
    times[k].push(Number(execFileSync(process.execPath, argv, { cwd, encoding: 'utf8' })))
  }
  floor.push(Number(execFileSync(process.execPath, floorArgv, { cwd: here, encoding: 'utf8' })))
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1]
const how = `cold ${useRequire ? 'require' : 'import'}('${entry}') on Node ${process.versions.node}`
for (const [k, dir] of dirs.entries()) {
  const sorted = [...times[k]].sort((a, b) => a - b)
  console.log(
    `${how} [${dir}]: median ${median(sorted).toFixed(1)} ms ` +
      `(min ${sorted[0].toFixed(1)}, max ${sorted.at(-1).toFixed(1)}, ${runs} runs)`,
  )
}
console.log(`floor (an empty module, same runs): median ${median(floor).toFixed(1)} ms`)
if (dirs.length === 2) {
  console.log(`ratio this / against: ${(median(times[0]) / median(times[1])).toFixed(2)}`)
}
