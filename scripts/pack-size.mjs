// Prints what `npm pack` would ship: packed and unpacked size, the part that is source maps, and the
// largest files. Run `npm run build` first.   node scripts/pack-size.mjs
import { execFileSync } from 'node:child_process'

const [report] = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }),
)
const kB = (n) => `${(n / 1000).toFixed(1)} kB`
const maps = report.files.filter((f) => f.path.endsWith('.map')).reduce((sum, f) => sum + f.size, 0)
console.log(`files:    ${report.entryCount}`)
console.log(`packed:   ${kB(report.size)}`)
console.log(`unpacked: ${kB(report.unpackedSize)} (${kB(report.unpackedSize - maps)} without maps, ${kB(maps)} maps)`)
for (const f of [...report.files].sort((a, b) => b.size - a.size).slice(0, 12)) {
  console.log(`  ${kB(f.size).padStart(10)}  ${f.path}`)
}
