// `npx knip` (part of `npm test`): no unused file, dependency or export.
import { readFileSync } from 'node:fs'
import type { KnipConfig } from 'knip'

// The package entries: each subpath of package.json `exports` (`./dist/x/index.js`) is src/x/index.ts.
const { exports } = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, string | { import: { default: string } }>
}
const packageEntries = Object.values(exports).flatMap((target) =>
  typeof target === 'string'
    ? []
    : [target.import.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')],
)

const config: KnipConfig = {
  entry: [
    ...packageEntries,
    // Run by hand or by npm scripts.
    'bench/**/*.ts',
    'examples/*.ts',
    'scripts/*.{mjs,cjs}',
    'test/fixtures/translate/write-golden.ts',
    // Spawned as child processes by the multi-process tests.
    'test/multiprocess/*worker.ts',
  ],
  project: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts', 'scripts/**/*.{mjs,cjs}'],
  ignoreDependencies: [
    // Loaded by src/transport/proxy-fetch.ts through a variable specifier, which knip cannot follow
    // (a literal one would make bundlers pull undici into edge builds of the main entry).
    'undici',
  ],
  ignoreIssues: {
    // Test helpers may export more than the tests use today.
    'test/**': ['exports', 'types'],
    // Files that still export helpers only they use (or nobody): remove an entry once its file is
    // cleaned up, and knip keeps it clean from then on.
    'src/cli/args.ts': ['types'],
    'src/cli/commands.ts': ['exports', 'types'],
    'src/cli/flag-kinds.ts': ['exports', 'types'],
    'src/client/models.ts': ['exports'],
  },
}

export default config
