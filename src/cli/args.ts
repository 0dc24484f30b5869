import { parseArgs } from 'node:util'

/** A command-line mistake: printed as one line with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** A `parseArgs` option: a string or a boolean, maybe repeatable. */
export interface ArgOption {
  type: 'string' | 'boolean'
  short?: string
  multiple?: boolean
}

export type ArgOptions = Record<string, ArgOption>

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>
  positionals: string[]
}

/**
 * `parseArgs` in strict mode, its errors reworded as one readable line naming the flag
 * (`--port: expects a value`, `unknown flag --nope`), thrown as {@link UsageError}.
 */
export function parseCommandArgs(args: string[], options: ArgOptions, positionals: boolean): ParsedArgs {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: positionals, strict: true })
    return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals }
  } catch (error) {
    throw new UsageError(readableArgError(error as Error & { code?: string }, args, options))
  }
}

function readableArgError(error: Error & { code?: string }, args: string[], options: ArgOptions): string {
  const flag = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1]
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${flag ?? ''}`.trim()
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const extra = /'([^']*)'/.exec(error.message)?.[1] ?? args.find((arg) => !arg.startsWith('-'))
      return `unexpected argument ${JSON.stringify(extra ?? '')}: this command takes flags only`
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = flag?.replace(/^-+/, '')
      const type = name === undefined ? undefined : options[name]?.type
      return type === 'boolean'
        ? `${flag} takes no value`
        : `${flag ?? 'a flag'} expects a value (${flag ?? '--flag'} VALUE or ${flag ?? '--flag'}=VALUE)`
    }
    default:
      return error.message
  }
}

/** A whole number within bounds, or a {@link UsageError} naming the flag. */
export function integer(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new UsageError(`${flag}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`)
  }
  return value
}
