// `npx knip` (part of `npm test`): no unused file, dependency or export. docs/contributing.md says
// how to read its report.
import type { KnipConfig } from 'knip'

const config: KnipConfig = {
  entry: [
    // The package entries (package.json `exports` and `bin`).
    'src/index.ts',
    'src/eventstream/index.ts',
    'src/kiro/index.ts',
    'src/testing/index.ts',
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
    '@opentelemetry/context-async-hooks',
    '@opentelemetry/sdk-metrics',
    '@opentelemetry/sdk-trace-base',
    'ai-7',
    'ai-sdk-anthropic-4',
    'proxy',
  ],
  ignore: [
    // The State contract of the account pool, ahead of its implementations.
    'src/state/types.ts',
  ],
  ignoreIssues: {
    // Test helpers may export more than the tests use today.
    'test/**': ['exports', 'types'],
    // Files that still export helpers only they use (or nobody): remove an entry once its file is
    // cleaned up, and knip keeps it clean from then on.
    'src/auth/file-token-store.ts': ['exports', 'types'],
    'src/auth/kiro-cli-store.ts': ['exports'],
    'src/auth/refresh/endpoints.ts': ['exports'],
    'src/auth/resolve-credentials.ts': ['exports', 'types'],
    'src/auth/sources/api-key.ts': ['exports'],
    'src/auth/token-store.ts': ['types'],
    'src/cli/args.ts': ['types'],
    'src/cli/commands.ts': ['exports', 'types'],
    'src/cli/flag-kinds.ts': ['exports', 'types'],
    'src/client/endpoint.ts': ['exports'],
    'src/client/kiro-client.ts': ['types'],
    'src/client/models.ts': ['exports'],
    'src/retry/retry-policy.ts': ['exports'],
    'src/translate/hash.ts': ['exports'],
    'src/translate/invalid.ts': ['exports'],
    'src/translate/shape-rules.ts': ['exports'],
    'src/translate/thinking.ts': ['exports'],
    'src/transport/kiro-headers.ts': ['exports', 'types'],
    'src/transport/timeouts.ts': ['exports'],
  },
}

export default config
