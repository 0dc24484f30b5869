/**
 * Makes the CLI process behave at the edges of a terminal session:
 *
 * - A closed output pipe (`kiro-client chat … | head -c 10`) ends the process quietly, as `cat`
 *   does, instead of an unhandled `EPIPE` error with a stack trace.
 * - Node's `ExperimentalWarning` for `node:sqlite` (read for the kiro-cli login on Node 22/24) is
 *   not printed: the user did not choose that module and cannot act on it. Every other warning,
 *   experimental or not, still is.
 */
export function quietProcess(proc: NodeJS.Process): void {
  for (const stream of [proc.stdout, proc.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') proc.exit(proc.exitCode ?? 0)
      throw error
    })
  }
  const emitWarning = proc.emitWarning.bind(proc) as (...args: unknown[]) => void
  proc.emitWarning = ((warning: unknown, ...rest: unknown[]) => {
    if (isSqliteExperimentalWarning(warning, rest)) return
    emitWarning(warning, ...rest)
  }) as NodeJS.Process['emitWarning']
}

/** `emitWarning('SQLite is an experimental feature…', 'ExperimentalWarning')`, or as an options object or Error. */
function isSqliteExperimentalWarning(warning: unknown, rest: unknown[]): boolean {
  const message = warning instanceof Error ? warning.message : String(warning)
  const first = rest[0]
  const type =
    warning instanceof Error
      ? warning.name
      : typeof first === 'string'
        ? first
        : typeof first === 'object' && first !== null
          ? (first as { type?: unknown }).type
          : undefined
  return type === 'ExperimentalWarning' && /\bSQLite\b/i.test(message)
}
