// Measures a cold `import('kiro-client')` of the built package: each run is a fresh Node process that
// times the dynamic import alone. Prints the median and the spread. Run `npm run build` first.
//   node scripts/cold-import.mjs [--runs 15] [--entry kiro-client/testing] [--require]
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2)
const flag = (name, fallback) => {
  const at = args.indexOf(name)
  return at === -1 ? fallback : args[at + 1]
}
const runs = Number(flag('--runs', '15'))
const entry = flag('--entry', 'kiro-client')
const useRequire = args.includes('--require')
const cwd = fileURLToPath(new URL('../', import.meta.url))

const load = useRequire ? `require(${JSON.stringify(entry)})` : `await import(${JSON.stringify(entry)})`
const program = `const t = performance.now(); ${load}; process.stdout.write(String(performance.now() - t))`
const times = []
for (let i = 0; i < runs; i++) {
  const out = execFileSync(process.execPath, useRequire ? ['-e', program] : ['--input-type=module', '-e', program], {
    cwd,
    encoding: 'utf8',
  })
  times.push(Number(out))
}
times.sort((a, b) => a - b)
const median = times[Math.floor(times.length / 2)]
console.log(
  `cold ${useRequire ? 'require' : 'import'}('${entry}') on Node ${process.versions.node}: ` +
    `median ${median.toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times.at(-1).toFixed(1)}, ${runs} runs)`,
)
