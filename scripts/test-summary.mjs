// Prints the totals of the vitest JSON reports of a CI run: one line per run, then the sum as one
// plain line, "tests: N passed, N failed, N skipped". .tmp/vitest-results.json is the whole suite on
// the main Node; .tmp/vitest-results-node<major>.json the version-sensitive tests on another Node.
import { readdirSync, readFileSync } from 'node:fs'

const dir = new URL('../.tmp/', import.meta.url)
const files = readdirSync(dir)
  .filter((name) => /^vitest-results(-node\d+)?\.json$/.test(name))
  .sort()
if (!files.includes('vitest-results.json')) {
  console.log('tests: no report of the whole suite (.tmp/vitest-results.json): the run stopped before it')
  process.exit(1)
}
const total = { passed: 0, failed: 0, skipped: 0, all: 0 }
for (const name of files) {
  const report = JSON.parse(readFileSync(new URL(name, dir), 'utf8'))
  const skipped = report.numPendingTests + report.numTodoTests
  const which = name === 'vitest-results.json' ? 'whole suite' : `node ${name.match(/node(\d+)/)[1]}, version-sensitive`
  console.log(`  ${which}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`)
  total.passed += report.numPassedTests
  total.failed += report.numFailedTests
  total.skipped += skipped
  total.all += report.numTotalTests
}
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`)
if (total.all === 0) process.exit(1)
