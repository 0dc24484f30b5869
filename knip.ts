// `npx knip` (part of `npm test`): no unused file, dependency or export.
import type { KnipConfig } from 'knip'

const config: KnipConfig = {
  entry: [
    // The package entries (package.json `exports` and `bin`).
    'src/index.ts',
    'src/eventstream/index.ts',
    'src/kiro/index.ts',
    'src/testing/index.ts',
    'src/redis/index.ts',
    // Run by hand or by npm scripts.
    'bench/**/*.ts',
    'examples/*.ts',
    'scripts/*.{mjs,cjs}',
    'test/fixtures/translate/write-golden.ts',
  ],
  project: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts', 'scripts/**/*.{mjs,cjs}'],
  ignoreDependencies: [
    // Installed for code being written alongside (the State contract's users, serve metrics, the
    // outbound proxy, OpenTelemetry, the AI SDK 7 test on Node 22): remove each name once imported.
    'prom-client',
    'undici',
    'proper-lockfile',
    '@types/proper-lockfile',
    'ai-7',
    'ai-sdk-anthropic-4',
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
