import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const { CI: ci } = process.env
const src = fileURLToPath(new URL('./src/', import.meta.url))

export default defineConfig({
  resolve: {
    // As tsconfig.json `paths`: `kiro-client` and `kiro-client/x` are the source, not dist/.
    alias: [
      { find: /^kiro-client$/, replacement: `${src}index.ts` },
      { find: /^kiro-client\/([a-z-]+)$/, replacement: `${src}$1/index.ts` },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // CI also keeps a JSON report, from which .ci/run prints a plain "N passed, N failed" line.
    reporters: ci ? ['default', ['json', { outputFile: '.tmp/vitest-results.json' }]] : ['default'],
  },
})
