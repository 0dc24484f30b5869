import type { RequestListener } from 'node:http'
import { resolve } from 'node:path'
import type { KiroClient, KiroClientOptions } from '../client/kiro-client.js'
import { CredentialsError } from '../errors/credentials-error.js'
import { KiroError } from '../errors/kiro-error.js'
import { createServeObservability, type ServeObservability } from '../observability/serve/observe-serve.js'
import { type ClientKeys, createClientKeys, parseClientKeys } from '../server/client-keys.js'
import { createAnthropicHandler } from '../server/handler.js'
import { createRequestGuard } from '../server/request-guard.js'
import { redact, registerSecret } from '../util/redact.js'
import { type AccountsFile, readAccountsFile } from './accounts/accounts-file.js'
import { watchAccountsFile } from './accounts/watch-accounts.js'
import { UsageError } from './args.js'
import { parseConfigJson, readConfigText } from './config-file.js'
import type { CliIo } from './io.js'
import { loginHelp } from './login-help.js'
import { type OpenedClient, openClient } from './open-client.js'
import { banner } from './serve/banner.js'
import { serveClientOptions } from './serve/client-options.js'
import { decideExposure, type Exposure } from './serve/exposure.js'
import type { ServeFlags } from './serve/flags.js'
import { type Listening, listen, loadTls } from './serve/listen.js'
import { type OpenedRedis, openRedis } from './serve/redis.js'
import { shutDown } from './serve/shutdown.js'

export interface ServeOptions extends ServeFlags {
  /** Called once listening; the server stops when it settles (SIGINT/SIGTERM in the real CLI). */
  untilStopped: () => Promise<unknown>
}

/**
 * `kiro-client serve`: the Anthropic-compatible proxy, until `untilStopped` settles. Composed of
 * small steps, each taking the flags it needs (src/cli/serve/flags.ts declares them all):
 * decide the exposure, open the client, check the login, build the request listener, listen,
 * print the banner, wait, shut down gracefully.
 */
export async function serve(io: CliIo, options: ServeOptions): Promise<number> {
  if (options.accounts !== undefined && options.simulate) {
    throw new UsageError('--accounts and --simulate: the simulator serves without accounts; give one of them')
  }
  // Read and checked before anything starts: a bad file is an error naming the file and field.
  const accounts =
    options.accounts === undefined ? undefined : await readAccountsFile(resolve(options.accounts))
  const clientKeys = options.clientKeys === undefined ? undefined : await readClientKeys(options.clientKeys)
  // Checked before anything starts: a setup that would expose the account never listens.
  const exposure = decideExposure(options)
  const tls = await loadTls(options)
  registerSecret(options.apiKey)
  registerSecret(options.adminKey)
  registerSecret(options.redisKey)
  for (const warning of exposure.warnings) io.err(`${warning}\n`)

  // Metrics, access log, /health and /ready (docs/observability.md).
  const observability = await createServeObservability({
    ...options,
    out: io.out,
    err: io.err,
    guard: createRequestGuard(exposure),
  })
  const { log } = observability
  // A status line: a log record in JSON mode (stdout carries JSON only), else a line on stderr.
  const status = (level: 'info' | 'error', text: string, line = `kiro-client serve: ${text}`) => {
    if (log.format === 'json') log.write(level, text)
    else io.err(`${line}\n`)
  }
  // Shared state in Redis (docs/shared-state.md); its outages are reported as they happen.
  const redis = await connectRedis(options, (message) => log.write('warn', message)).catch(
    async (error: unknown) => {
      await observability.close()
      throw error
    },
  )
  const opened = await openClient({
    simulate: options.simulate,
    client: { ...serveClientOptions(options), ...poolOptions(accounts), ...observability.clientOptions },
    env: io.env,
    state: redis?.state,
  }).catch(async (error: unknown) => {
    await redis?.close()
    throw error
  })
  observability.useClient(opened.client)
  const stopWatching =
    options.accounts === undefined ? undefined : reloadOnChange(resolve(options.accounts), opened.client, log)
  try {
    // A pool checks each login at its first use and parks the ones that fail.
    if (accounts === undefined && !(await checkLogin(io, opened, options))) return 1
    const closing = new AbortController()
    const listener = requestListener(opened, options, observability, exposure, closing.signal, clientKeys)

    let listening: Listening
    let metricsUrl: string | undefined
    try {
      listening = await listen(listener, { ...options, tls })
      metricsUrl = await observability.listenMetrics()
    } catch (error) {
      if (!(error instanceof Error) || !('code' in error)) throw error
      const message = `Cannot listen on ${options.host}:${options.port}: ${error.message}`
      status('error', message, message)
      return 1
    }
    // One line carrying the bound URL first: scripts (and the tests) read it to find the port.
    log.announce('listening on', { url: listening.url })
    if (redis !== undefined) log.write('info', 'shared state in Redis', { client: redis.library })
    if (metricsUrl !== undefined) log.announce('metrics on', { url: `${metricsUrl}/metrics` })
    const login = opened.simulator === undefined ? opened.client.credentials.describe() : undefined
    // In JSON mode stdout carries records only: the banner's advice is for people at a terminal.
    if (log.format === 'pretty') {
      const pool = accounts === undefined ? undefined : await opened.client.accounts.list()
      banner(io, listening.url, options, login, pool)
    }

    await options.untilStopped()
    const stopping = `stopping; running answers have ${options.shutdownTimeoutMs} ms to finish`
    status('info', stopping)
    const cut = await shutDown(listening.server, closing, options.shutdownTimeoutMs)
    await observability.close()
    const stopped = `stopped${cut === 0 ? '' : ` (${cut} connection(s) ended at the deadline)`}`
    status('info', stopped)
    return 0
  } finally {
    stopWatching?.()
    await opened.close()
    await redis?.close()
  }
}

/** The client options of an accounts file. */
function poolOptions(file: AccountsFile | undefined): KiroClientOptions {
  if (file === undefined) return {}
  const options: KiroClientOptions = { accounts: file.accounts }
  if (file.selection !== undefined) options.accountSelection = file.selection
  if (file.maxQueuedRequests !== undefined) options.maxQueuedRequests = file.maxQueuedRequests
  return options
}

/** Reads the client keys file; a bad one is a `ConfigurationError` naming the file and the entry. */
async function readClientKeys(file: string): Promise<ClientKeys> {
  return createClientKeys(parseClientKeys(parseConfigJson(await readConfigText(file), file), file))
}

/** Applies each change of the accounts file; one that cannot be used is logged and the pool stays as it was. */
function reloadOnChange(file: string, client: KiroClient, log: ServeObservability['log']): () => void {
  return watchAccountsFile(file, {
    apply: (parsed) => client.accounts.replace(parsed.accounts),
    applied: (parsed) =>
      log.write('info', `accounts reloaded from ${file}`, {
        accounts: parsed.accounts.map((account) => account.id),
      }),
    refused: (error) =>
      log.write(
        'error',
        `accounts file not used, the accounts in use stay: ${redact(errorText(error), [])}`,
        {
          file,
        },
      ),
  })
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** `--redis URL` (or KIRO_REDIS_URL): the shared state, on a client of whichever Redis package is installed. */
function connectRedis(
  options: ServeOptions,
  onWarning: (message: string) => void,
): Promise<OpenedRedis | undefined> {
  if (options.redis === undefined) return Promise.resolve(undefined)
  return openRedis({
    url: options.redis,
    prefix: options.redisPrefix,
    encryptionKey: options.redisKey,
    onWarning,
  })
}

/**
 * Finds and, if needed, refreshes the login now, so a missing one is reported at startup rather
 * than on the first request. False (after explaining) when there is none.
 */
async function checkLogin(io: CliIo, opened: OpenedClient, options: ServeOptions): Promise<boolean> {
  if (options.simulate) return true
  try {
    await opened.client.credentials.getToken()
    return true
  } catch (error) {
    if (!(error instanceof CredentialsError)) throw error
    io.err(loginHelp(error, 'kiro-client serve --simulate'))
    return false
  }
}

/** The Anthropic handler as a `node:http` listener: guarded, timed, counted and logged per request. */
function requestListener(
  opened: OpenedClient,
  options: ServeOptions,
  observability: ServeObservability,
  exposure: Exposure,
  closeSignal: AbortSignal,
  clientKeys: ClientKeys | undefined,
): RequestListener {
  const handler = createAnthropicHandler(opened.client, {
    apiKey: options.apiKey,
    clientKeys,
    adminKey: options.adminKey,
    maxRequestBytes: options.maxRequestBytes,
    allowedHosts: exposure.allowedHosts,
    allowedOrigins: exposure.allowedOrigins,
    closeSignal,
    // Claude Code and the SDKs retry themselves: throttling is answered at once, with retry-after.
    retryScope: 'transient',
    // Fewer, larger SSE frames for the same answer (docs/server.md, "Streaming").
    coalesceDeltas: !options.noCoalesceDeltas,
    onError: (error, context) => {
      const message = redact(KiroError.isInstance(error) ? error.message : String(error), [])
      observability.log.write('error', `${context.method} ${context.path}: ${message}`, {
        request_id: context.requestId,
        streaming: context.streaming,
      })
    },
  })
  return observability.listener(handler)
}
