// Measures a cold `import('kiro-client')` of the built package: each run is a fresh Node process
// that times the dynamic import alone; the median is printed. Run `npm run build` first.
//   node scripts/cold-import.mjs [--runs 21] [--entry kiro-client/testing] [--require]
//                                [--against DIR]   a second checkout, built; runs alternate
// With --against, both packages are measured in the same run (alternating, so machine load hits
// both alike) and the ratio is printed: compare figures of one run only. Every run also times the
// import of an empty module, what Node itself costs, as a floor.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

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
// Wall time and CPU time (user + system, all threads) of the load alone: on a busy machine the wall
// time mostly measures the wait for a core, the CPU time much less so.
const timed = (code) =>
  `const c = process.cpuUsage(); const t = performance.now(); ${code}; const w = performance.now() - t; ` +
  `const u = process.cpuUsage(c); process.stdout.write(w + ' ' + (u.user + u.system) / 1000)`
const program = timed(load)
const argv = useRequire ? ['-e', program] : ['--input-type=module', '-e', program]
// The floor: loading an empty module file the same way.
const scratch = mkdtempSync(join(tmpdir(), 'cold-import-'))
const emptyFile = join(scratch, useRequire ? 'empty.cjs' : 'empty.mjs')
writeFileSync(emptyFile, useRequire ? 'module.exports = {}\n' : 'export default 1\n')
const empty = useRequire
  ? `require(${JSON.stringify(emptyFile)})`
  : `await import(${JSON.stringify(pathToFileURL(emptyFile).href)})`
const floorProgram = timed(empty)
const floorArgv = useRequire ? ['-e', floorProgram] : ['--input-type=module', '-e', floorProgram]
const measure = (args, cwd) => execFileSync(process.execPath, args, { cwd, encoding: 'utf8' }).split(' ').map(Number)
const times = dirs.map(() => [])
const cpu = dirs.map(() => [])
const floor = []
const floorCpu = []
for (let i = 0; i < runs; i++) {
  for (const [k, cwd] of dirs.entries()) {
    const [wall, used] = measure(argv, cwd)
    times[k].push(wall)
    cpu[k].push(used)
  }
  const [wall, used] = measure(floorArgv, here)
  floor.push(wall)
  floorCpu.push(used)
}
rmSync(scratch, { recursive: true, force: true })
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1]
const how = `cold ${useRequire ? 'require' : 'import'}('${entry}') on Node ${process.versions.node}`
for (const [k, dir] of dirs.entries()) {
  const sorted = [...times[k]].sort((a, b) => a - b)
  console.log(
    `${how} [${dir}]: median ${median(sorted).toFixed(1)} ms ` +
      `(min ${sorted[0].toFixed(1)}, max ${sorted.at(-1).toFixed(1)}, ${runs} runs), CPU ${median(cpu[k]).toFixed(1)} ms`,
  )
}
console.log(`floor (an empty module file, same runs): median ${median(floor).toFixed(1)} ms, CPU ${median(floorCpu).toFixed(1)} ms`)
if (dirs.length === 2) {
  console.log(
    `ratio this / against: ${(median(times[0]) / median(times[1])).toFixed(2)} wall, ` +
      `${(median(cpu[0]) / median(cpu[1])).toFixed(2)} CPU`,
  )
}
