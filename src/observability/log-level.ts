import { ConfigurationError } from '../errors/configuration-error.js'

/** How much the client logs: nothing (`off`, the default) up to every attempt (`debug`). */
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug'

const RANK: Record<LogLevel, number> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 }

/** The levels in order, for messages. */
const LOG_LEVELS = Object.keys(RANK) as readonly LogLevel[]

/** Whether a message of `message` level is written when the client logs at `level`. */
export function logs(level: LogLevel, message: Exclude<LogLevel, 'off'>): boolean {
  return RANK[message] <= RANK[level]
}

/**
 * Reads a log level from an option or an environment variable, naming `field` when it is not one.
 * Surrounding space and case are ignored; an empty value counts as unset.
 */
export function parseLogLevel(value: unknown, field: string): LogLevel | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'string') {
    const level = value.trim().toLowerCase()
    if (level === '') return undefined
    if (Object.hasOwn(RANK, level)) return level as LogLevel
  }
  throw new ConfigurationError(
    field,
    `must be one of ${LOG_LEVELS.map((level) => `'${level}'`).join(', ')}, got ${JSON.stringify(value)}`,
  )
}
