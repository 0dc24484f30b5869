// The one module of the library that writes to the console, and only once the user turned logging
// on (`logLevel` or `KIRO_LOG`): docs/observability.md, "Logging".
import type { Logger } from './logger.js'

/**
 * The default {@link Logger}: every level to standard error (`console.error` / `console.warn`), so
 * that a program's standard output stays its own.
 */
export const stderrLogger: Logger = {
  error: (message, ...details) => console.error(message, ...details),
  warn: (message, ...details) => console.warn(message, ...details),
  info: (message, ...details) => console.error(message, ...details),
  debug: (message, ...details) => console.error(message, ...details),
}
