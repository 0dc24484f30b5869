/** One logging method: a message, then structured details (`console`, pino and winston fit). */
export type LogFn = (message: string, ...details: unknown[]) => void

/** Where the client's log lines go: `console`, a pino or winston logger, or your own. */
export interface Logger {
  error: LogFn
  warn: LogFn
  info: LogFn
  debug: LogFn
}
