import { anthropicTypeForStatus } from '../../errors/api-error.js'
import { type LogLevel, logs } from '../log-level.js'
import type { Logger } from '../logger.js'
import type { RequestRecord } from './request-record.js'

export type LogFormat = 'pretty' | 'json'
type Level = Exclude<LogLevel, 'off'>

export interface ServeLogOptions {
  format: LogFormat
  level: LogLevel
  /** Standard output: JSON lines only, in JSON mode. */
  out: (text: string) => void
  /** Standard error: the human lines of pretty mode. */
  err: (text: string) => void
}

/**
 * The log of `serve`: records with a level and fields, one JSON object per line on standard output
 * in JSON mode (nothing else goes there), or readable lines on standard error in pretty mode. A
 * small writer of its own rather than pino: one line per request is far below what JSON.stringify
 * handles, and it keeps the CLI free of pino's transport and worker-thread machinery
 * (docs/observability.md, "Access log").
 */
export class ServeLog {
  readonly format: LogFormat
  readonly level: LogLevel
  readonly #out: (text: string) => void
  readonly #err: (text: string) => void

  constructor(options: ServeLogOptions) {
    this.format = options.format
    this.level = options.level
    this.#out = options.out
    this.#err = options.err
  }

  enabled(level: Level): boolean {
    return logs(this.level, level)
  }

  /** One record: `message` plus structured fields. */
  write(level: Level, message: string, fields: Record<string, unknown> = {}): void {
    if (!this.enabled(level)) return
    if (this.format === 'json') {
      this.#out(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`)
      return
    }
    const extra = Object.entries(fields)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    this.#err(
      `${printable(`${level === 'info' ? '' : `${level}: `}${message}${extra.length > 0 ? ` ${extra.join(' ')}` : ''}`)}\n`,
    )
  }

  /**
   * A line scripts read whatever the level (the listening URL): the text on stdout in pretty mode,
   * an `info` record in JSON mode.
   */
  announce(text: string, fields: Record<string, unknown>): void {
    if (this.format === 'json') {
      this.#out(
        `${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: text, ...fields })}\n`,
      )
    } else
      this.#out(
        `kiro-client serve: ${text}${Object.values(fields)
          .map((value) => ` ${String(value)}`)
          .join('')}\n`,
      )
  }

  /** The access-log line of one finished request (health checks and scrapes only at debug). */
  access(record: RequestRecord, quiet: boolean): void {
    const level: Level = quiet ? 'debug' : 'info'
    if (!this.enabled(level)) return
    if (this.format === 'json') {
      this.write(level, 'request', accessFields(record))
      return
    }
    this.#err(`${printable(prettyAccess(record))}\n`)
  }

  /** The library's `logger` option, writing into this log. */
  logger(): Logger {
    const at =
      (level: Level) =>
      (message: string, ...details: unknown[]) => {
        const [first] = details
        this.write(
          level,
          message,
          typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : {},
        )
      }
    return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') }
  }
}

/** The Anthropic error type the client saw, or the failure's class when it has none. */
function errorTypeOf(record: RequestRecord): string | null {
  const { error, status } = record
  if (error !== undefined) {
    // An abort answered with a 5xx was the server's own: the shutdown's 503 overloaded_error.
    if (error.name === 'APIUserAbortError') {
      return status === undefined || status < 500 ? 'client_closed' : 'overloaded_error'
    }
    return error.type ?? error.name
  }
  if (record.clientClosed) return 'client_closed'
  if (status !== undefined && status >= 400) return anthropicTypeForStatus(status)
  return null
}

function round(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value)
}

/** The fields of a JSON access-log line: never a prompt, a header value or a key. */
function accessFields(record: RequestRecord): Record<string, unknown> {
  return {
    request_id: record.requestId ?? null,
    method: record.method,
    path: record.path,
    route: record.route,
    status: record.status ?? null,
    duration_ms: round(record.durationMs),
    ttfb_ms: round(record.ttfbMs),
    model: record.model ?? null,
    input_tokens: record.inputTokens ?? null,
    output_tokens: record.outputTokens ?? null,
    cache_read_tokens: record.cacheReadTokens ?? null,
    cache_creation_tokens: record.cacheCreationTokens ?? null,
    account_id: record.accountId ?? null,
    client_key: record.clientKey ?? null,
    attempts: record.attempts,
    retries: Math.max(0, record.attempts - 1),
    error_type: errorTypeOf(record),
  }
}

/**
 * A pretty line with its control characters escaped as in JSON: a model name or an upstream
 * message carrying a line break must not forge a line of its own in the log.
 */
function printable(line: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is matched
  return line.replace(/[\u0000-\u001f\u007f]/g, (char) => JSON.stringify(char).slice(1, -1))
}

function prettyAccess(record: RequestRecord): string {
  const parts = [`${record.method} ${record.path} ${record.status ?? '-'}`]
  if (record.clientClosed) parts.push('client left')
  parts.push(`${round(record.durationMs) ?? '-'} ms`)
  if (record.model !== undefined) parts.push(record.model)
  if (record.inputTokens !== undefined)
    parts.push(`${record.inputTokens} in / ${record.outputTokens ?? 0} out tokens`)
  if (record.attempts > 1) parts.push(`${record.attempts - 1} retr${record.attempts === 2 ? 'y' : 'ies'}`)
  const error = errorTypeOf(record)
  if (error !== null && !record.clientClosed) parts.push(error)
  if (record.accountId !== undefined) parts.push(`account ${record.accountId}`)
  if (record.requestId !== undefined) parts.push(record.requestId)
  return parts.join(' ')
}
