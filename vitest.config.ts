import { defineConfig } from 'vitest/config'

const { CI: ci } = process.env

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // CI also keeps a JSON report, from which .ci/run prints a plain "N passed, N failed" line.
    reporters: ci ? ['default', ['json', { outputFile: '.tmp/vitest-results.json' }]] : ['default'],
  },
})
