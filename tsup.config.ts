import { defineConfig } from 'tsup'

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'testing/index': 'src/testing/index.ts',
      'redis/index': 'src/redis/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'neutral',
    // Node built-ins are reached lazily (process.getBuiltinModule) or only by the Node-only entries.
    external: [/^node:/],
    // p-retry 7 is ESM-only: bundled so that `require('kiro-client')` works on every Node >= 20.
    noExternal: ['p-retry', 'is-network-error'],
    treeshake: true,
  },
  {
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    // The CLI is an application: its dependencies are bundled in, the package's own code too.
    noExternal: ['p-retry', 'is-network-error'],
  },
])
