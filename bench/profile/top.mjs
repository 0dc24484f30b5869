// Prints the functions with the most self time in a .cpuprofile: node bench/profile/top.mjs FILE [n]
import { readFileSync } from 'node:fs'

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const limit = Number(process.argv[3] ?? 25)
const self = new Map()
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const dt = profile.timeDeltas
const counts = new Map()
for (const [i, id] of profile.samples.entries()) counts.set(id, (counts.get(id) ?? 0) + (dt[i] ?? 0))
let total = 0
for (const [id, us] of counts) {
  const { callFrame } = byId.get(id)
  const file = callFrame.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/')
  const key = `${callFrame.functionName || '(anonymous)'} ${file}:${callFrame.lineNumber + 1}`
  self.set(key, (self.get(key) ?? 0) + us)
  total += us
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, limit)
for (const [key, us] of rows)
  console.log(
    `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`,
  )
