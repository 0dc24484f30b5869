import {
  booleanFlag,
  choiceFlag,
  type FlagValues,
  integerFlag,
  secretFlag,
  stringFlag,
} from '../flag-kinds.js'

/**
 * Every flag of `kiro-client serve`, in help order. To add one: add an entry here (its key becomes
 * a property of {@link ServeFlags}), then use it in the step of src/cli/serve.ts it concerns.
 * Secrets take `secretFlag` (a `--x-file` form and an environment variable come with it).
 */
export const SERVE_FLAGS = {
  port: integerFlag('port', {
    group: 'Listening',
    arg: 'N',
    help: 'the port; 0 picks a free one',
    default: 8787,
    min: 0,
    max: 65_535,
  }),
  host: stringFlag('host', {
    group: 'Listening',
    arg: 'H',
    help: 'the address to bind (default 127.0.0.1: this machine only)',
    default: '127.0.0.1',
  }),
  apiKey: secretFlag('api-key', {
    group: 'Access',
    env: 'KIRO_SERVE_API_KEY',
    help: 'a key every client must send (x-api-key or Authorization: Bearer)',
  }),
  adminKey: secretFlag('admin-key', {
    group: 'Access',
    env: 'KIRO_SERVE_ADMIN_KEY',
    help: 'the key of the /admin routes',
  }),
  redis: secretFlag('redis', {
    group: 'Shared state',
    env: 'KIRO_REDIS_URL',
    help: 'a Redis URL (redis://host:6379): processes and hosts share the login, its refreshes and account state',
  }),
  redisKey: secretFlag('redis-key', {
    group: 'Shared state',
    env: 'KIRO_REDIS_KEY',
    help: 'encrypts logins at rest in Redis with AES-256-GCM: 32 bytes in base64',
  }),
  redisPrefix: stringFlag('redis-prefix', {
    group: 'Shared state',
    arg: 'P',
    help: 'the prefix of every Redis key (default kiro:)',
    default: 'kiro:',
  }),
  simulate: booleanFlag('simulate', {
    group: 'Kiro',
    help: 'serve the local simulator instead of Kiro (no account needed)',
  }),
  metrics: booleanFlag('metrics', {
    group: 'Observability',
    help: 'serve GET /metrics in Prometheus format (behind --admin-key when set)',
  }),
  metricsPort: integerFlag('metrics-port', {
    group: 'Observability',
    arg: 'N',
    help: 'serve /metrics, /health and /ready on this port instead (0 picks a free one)',
    default: undefined,
    min: 0,
    max: 65_535,
  }),
  logFormat: choiceFlag('log-format', {
    group: 'Observability',
    help: 'json: one JSON record per line on stdout, and nothing else there',
    choices: ['pretty', 'json'] as const,
    default: 'pretty',
  }),
  logLevel: choiceFlag('log-level', {
    group: 'Observability',
    help: 'info logs each request; debug each Kiro attempt too',
    choices: ['off', 'error', 'warn', 'info', 'debug'] as const,
    default: 'info',
  }),
}

/** The resolved flags of `kiro-client serve`. */
export type ServeFlags = FlagValues<typeof SERVE_FLAGS>
