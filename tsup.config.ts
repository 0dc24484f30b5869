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
  // Shared chunks: a module reached from several entries is shipped once per format, so a class
  // exported by two entries is the same class (`instanceof` holds across subpaths).
  splitting: true,
  treeshake: true,
  // No source maps: they would point at src/, which the package does not ship. The code is minified
  // (the tarball stays under 800 kB: scripts/pack-size.mjs) but keeps the names of functions and
  // classes, so stack traces still name them; property and method names are never mangled.
  sourcemap: false,
  minify: true,
  keepNames: true,
  // dist/metafile-{esm,cjs}.json (not packed): scripts/check-dist.mjs checks that no module is
  // shipped twice within one format.
  metafile: true,
  // Node built-ins are reached lazily (process.getBuiltinModule) or only by the Node-only entries.
  external: [/^node:/],
  removeNodeProtocol: false,
  // p-retry 7 is ESM-only: bundled so that `require('kiro-client')` works on every Node >= 20. It is
  // therefore a devDependency: nothing in dist/ imports it at run time.
  noExternal: ['p-retry', 'is-network-error'],
}

export default defineConfig([
  {
    ...common,
    // The CLI is built with the library so that it imports the same chunks instead of a second copy.
    entry: { ...library, cli: 'src/cli/bin.ts' },
    format: ['esm'],
    dts: { entry: library },
    // Each build cleans only its own outputs: the two run at once.
    clean: ['**/*.js', '**/*.d.ts', '**/*.map'],
  },
  {
    ...common,
    entry: library,
    format: ['cjs'],
    // The .d.cts files are the .d.ts ones with .cjs specifiers (scripts/dts-cjs.mjs, after tsup).
    dts: false,
    clean: ['**/*.cjs', '**/*.d.cts'],
  },
])
