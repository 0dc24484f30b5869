import { DEFAULT_MAX_REQUEST_BYTES } from '../../server/options.js'
import { UsageError } from '../args.js'
import {
  booleanFlag,
  choiceFlag,
  type FlagSpec,
  type FlagValues,
  integerFlag,
  listFlag,
  secretFlag,
  stringFlag,
} from '../flag-kinds.js'

/** `--model-map FROM=TO`, repeatable: Anthropic model names to Kiro model ids (the client's `modelMap`). */
function modelMapFlag(): FlagSpec<Record<string, string> | undefined> {
  const list = listFlag('model-map', {
    group: 'Requests',
    arg: 'FROM=TO',
    help: 'send model FROM to Kiro as model id TO, e.g. claude-opus-4-8=claude-sonnet-4.5',
  })
  return {
    ...list,
    resolve: async (values, context) => {
      const pairs = await list.resolve(values, context)
      if (pairs.length === 0) return undefined
      const map: Record<string, string> = {}
      for (const pair of pairs) {
        const at = pair.indexOf('=')
        const from = pair.slice(0, at).trim()
        const to = pair.slice(at + 1).trim()
        if (at === -1 || from === '' || to === '') {
          throw new UsageError(`--model-map: expected FROM=TO, got ${JSON.stringify(pair)}`)
        }
        map[from] = to
      }
      return map
    },
  }
}

const HOUR_MS = 3_600_000

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
  tlsCert: stringFlag('tls-cert', {
    group: 'Listening',
    arg: 'PATH',
    help: 'serve HTTPS with this PEM certificate (chain) and --tls-key',
  }),
  tlsKey: stringFlag('tls-key', {
    group: 'Listening',
    arg: 'PATH',
    help: 'the PEM private key of --tls-cert',
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
  clientKeys: stringFlag('client-keys', {
    group: 'Access',
    arg: 'FILE',
    help: "team members' keys, stored hashed (kiro-client keys add); the name goes to logs and metrics",
  }),
  insecureNoAuth: booleanFlag('insecure-no-auth', {
    group: 'Access',
    help: 'allow a non-loopback --host without an API key (anyone who reaches it spends your account)',
  }),
  allowedHosts: listFlag('allowed-host', {
    group: 'Access',
    arg: 'NAME',
    help: "a Host name to answer besides localhost and the bound address (a reverse proxy's public name)",
  }),
  allowedOrigins: listFlag('allowed-origin', {
    group: 'Access',
    arg: 'ORIGIN',
    help: 'a web origin (https://app.example.com) whose pages may call the server; none by default',
  }),
  maxRequestBytes: integerFlag('max-request-bytes', {
    group: 'Limits',
    arg: 'N',
    help: 'the largest request body',
    default: DEFAULT_MAX_REQUEST_BYTES,
    min: 1024,
    max: 256 * 1024 * 1024,
  }),
  maxConnections: integerFlag('max-connections', {
    group: 'Limits',
    arg: 'N',
    help: 'open connections at most; more are refused',
    default: 1024,
    min: 1,
    max: 1_000_000,
  }),
  headersTimeoutMs: integerFlag('headers-timeout', {
    group: 'Limits',
    arg: 'MS',
    help: 'a client must send its request headers within this',
    default: 20_000,
    min: 100,
    max: HOUR_MS,
  }),
  requestTimeoutMs: integerFlag('request-timeout', {
    group: 'Limits',
    arg: 'MS',
    help: 'a client must send its whole request (headers and body) within this',
    default: 60_000,
    min: 100,
    max: HOUR_MS,
  }),
  keepAliveTimeoutMs: integerFlag('keep-alive-timeout', {
    group: 'Limits',
    arg: 'MS',
    help: 'an idle keep-alive connection is closed after this',
    default: 5_000,
    min: 100,
    max: HOUR_MS,
  }),
  idleTimeoutMs: integerFlag('idle-timeout', {
    group: 'Limits',
    arg: 'MS',
    help: 'a connection with no traffic either way (a client that stopped reading) is closed after this',
    default: 600_000,
    min: 1_000,
    max: 24 * HOUR_MS,
  }),
  shutdownTimeoutMs: integerFlag('shutdown-timeout', {
    group: 'Limits',
    arg: 'MS',
    help: 'on SIGTERM or Ctrl-C, how long running answers may take to finish',
    default: 30_000,
    min: 0,
    max: HOUR_MS,
  }),
  accounts: stringFlag('accounts', {
    group: 'Kiro',
    arg: 'FILE',
    help: 'several Kiro logins, a JSON accounts file (kiro-client accounts add); re-read when it changes',
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
  // How requests are served (docs/claude-code.md, "Long sessions" and "Retries").
  trimHistory: booleanFlag('trim-history', {
    group: 'Requests',
    help: 'over Kiro\'s size limit, drop the oldest turns instead of answering "prompt is too long" (which makes Claude Code compact)',
  }),
  keepImages: booleanFlag('keep-images', {
    group: 'Requests',
    help: "over Kiro's size limit, keep old images (by default those before the last 3 user turns become a short note first)",
  }),
  maxRetries: integerFlag('max-retries', {
    group: 'Requests',
    arg: 'N',
    help: 'retries of a lost connection, a timeout or a Kiro 5xx; throttling is answered at once with 429 and retry-after',
    default: 3,
    min: 0,
    max: 20,
  }),
  timeout: integerFlag('timeout', {
    group: 'Requests',
    arg: 'MS',
    help: "how long to wait for Kiro's response headers, in ms",
    default: 60_000,
    min: 1,
    max: 3_600_000,
  }),
  modelMap: modelMapFlag(),
  diagnose400: booleanFlag('diagnose-400', {
    group: 'Requests',
    help: 'on Kiro\'s unexplained "Improperly formed request.", find the message it refuses with a few shorter probe requests and name it in the error',
  }),
  noCoalesceDeltas: booleanFlag('no-coalesce-deltas', {
    group: 'Requests',
    help: 'send every text, thinking and tool-input delta as its own SSE event (by default those that came in one read from Kiro are joined into one; the answer is the same)',
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
