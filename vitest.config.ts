import { fileURLToPath } from 'node:url'
import { configDefaults, defineConfig } from 'vitest/config'

const { CI: ci, TEST_SET: testSet } = process.env
const src = fileURLToPath(new URL('./src/', import.meta.url))
const nodeMajor = Number(process.versions.node.split('.')[0])

/**
 * The tests whose outcome can depend on the Node version: .ci/run runs the whole suite on Node 20,
 * then these again on Node 22 and 24 (`TEST_SET=node-versions`). A test that needs Node 22 or later
 * goes in a file named `*.node22.test.ts`: it runs only where the Node major is 22 or more, so on
 * Node 20 it is left out of the run (never reported as skipped), and CI always runs it on 22 and 24.
 */
const NODE_VERSION_SENSITIVE = [
  'test/**/*.node22.test.ts',
  // CRC: node:zlib crc32 where it exists, the JS table elsewhere; web streams as the decoder's input.
  'test/eventstream/crc32.test.ts',
  'test/eventstream/vectors.test.ts',
  'test/eventstream/decode-stream.test.ts',
  // Plain text read with Buffer's latin1Slice where it exists (TextDecoder elsewhere); the typed path
  // from frames to events; ASCII SSE batches written with encodeInto.
  'test/mapper/plain-content.test.ts',
  'test/mapper/typed-path.test.ts',
  'test/server/sse-frames.test.ts',
  // node:sqlite (Node >= 22.5) for kiro-cli logins.
  'test/auth/kiro-cli.test.ts',
  'test/auth/resolve-credentials.test.ts',
  // fetch, web streams, timers and node:http.
  'test/transport/fetch-transport.test.ts',
  'test/transport/machine-id.test.ts',
  'test/client/happy-paths.test.ts',
  'test/client/faults.test.ts',
  'test/client/first-chunk.test.ts',
  'test/client/total-timeout.test.ts',
  'test/server/node.test.ts',
  'test/server/sse.test.ts',
  'test/server/anthropic-fetch.test.ts',
  'test/server/end-to-end.test.ts',
  'test/stream/message-stream.test.ts',
  'test/stream/sdk-oracle.test.ts',
  'test/testing/fetch-simulator.test.ts',
  'test/testing/simulator-server.test.ts',
]

const include = testSet === 'node-versions' ? NODE_VERSION_SENSITIVE : ['test/**/*.test.ts']
const exclude = nodeMajor >= 22 ? configDefaults.exclude : [...configDefaults.exclude, '**/*.node22.test.ts']
// CI keeps a JSON report per run, from which scripts/test-summary.mjs prints the plain totals.
const report =
  testSet === 'node-versions' ? `.tmp/vitest-results-node${nodeMajor}.json` : '.tmp/vitest-results.json'

export default defineConfig({
  resolve: {
    // As tsconfig.json `paths`: `kiro-client` and `kiro-client/x` are the source, not dist/.
    alias: [
      { find: /^kiro-client$/, replacement: `${src}index.ts` },
      { find: /^kiro-client\/([a-z-]+)$/, replacement: `${src}$1/index.ts` },
    ],
  },
  test: {
    include,
    exclude,
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    reporters: ci ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
})
