import { defineConfig, type Options } from 'tsup'

// The public entries: one per subpath of package.json `exports`.
const library = {
  index: 'src/index.ts',
  'eventstream/index': 'src/eventstream/index.ts',
  'kiro/index': 'src/kiro/index.ts',
  'redis/index': 'src/redis/index.ts',
  'testing/index': 'src/testing/index.ts',
}

const common: Options = {
  target: 'node20',
  platform: 'neutral',
  treeshake: true,
  // Node built-ins are reached lazily (process.getBuiltinModule) or only by the Node-only entries.
  external: [/^node:/],
  removeNodeProtocol: false,
}

export default defineConfig([
  {
    ...common,
    // One implementation, CommonJS, with shared chunks: every entry, and the CLI, use the same
    // modules, so `import` and `require` give the same classes. scripts/esm-wrappers.mjs then writes
    // the ES module entries (named re-exports of these) and the .d.cts declarations.
    entry: { ...library, cli: 'src/cli/bin.ts' },
    format: ['cjs'],
    splitting: true,
    // `import.meta.url` (the CLI finds package.json with it) becomes the file URL of the .cjs file.
    shims: true,
    // No source maps: they would point at src/, which the package does not ship. The code is
    // minified, identifiers too. esbuild's `keepNames` would keep every function's name, but its
    // `__name(fn, "name")` call per function cost about 5 ms of a cold import (a fifth of it);
    // scripts/esm-wrappers.mjs names the exported classes and functions instead, which is what
    // `util.inspect` and printed errors show. Method names survive minification anyway.
    sourcemap: false,
    minify: true,
    // p-retry 7 is ESM-only: bundled so that `require('kiro-client')` works on every Node >= 20. It is
    // therefore a devDependency: nothing in dist/ imports it at run time.
    noExternal: ['p-retry', 'is-network-error'],
    // dist/metafile-cjs.json (not packed): scripts/check-dist.mjs checks that no module is shipped twice.
    metafile: true,
    clean: true,
  },
  {
    ...common,
    // The declarations, once (ESM .d.ts; the .d.cts files are copies with .cjs specifiers).
    entry: library,
    format: ['esm'],
    dts: { entry: library, only: true },
  },
])
