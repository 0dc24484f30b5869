import { redactSecrets } from '../util/redact.js'

/** Where a command writes, and what it may read of its environment; the entry passes the process's. */
export interface CliIo {
  out(text: string): void
  err(text: string): void
  /** ANSI styling on stdout (a TTY without NO_COLOR). */
  color: boolean
  env: Record<string, string | undefined>
  /** Standard input as text, for `chat` without a prompt argument; undefined when it is a terminal. */
  readStdin(): Promise<string | undefined>
}

/** Dims text on a colour terminal (thinking, notes). */
export function dim(io: CliIo, text: string): string {
  return io.color ? `\u001b[2m${text}\u001b[22m` : text
}

/** Bold text on a colour terminal (headings, tool names). */
export function bold(io: CliIo, text: string): string {
  return io.color ? `\u001b[1m${text}\u001b[22m` : text
}

/**
 * `io` with everything written scrubbed of secrets (docs/security.md, "Secrets"): error lines and
 * log lines may quote upstream text, which may echo a token.
 */
export function scrubbedIo(io: CliIo): CliIo {
  return {
    ...io,
    out: (text) => io.out(redactSecrets(text)),
    err: (text) => io.err(redactSecrets(text)),
  }
}
