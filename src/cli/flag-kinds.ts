import { type ArgOptions, integer, type ParsedArgs, UsageError } from './args.js'

/** What resolving a flag may use besides the arguments: the environment, files, a place for notes. */
export interface FlagContext {
  env: Record<string, string | undefined>
  readFile(path: string): Promise<string>
  /** A one-line note for stderr (a secret given on the command line, say). */
  warn(text: string): void
}

/**
 * One flag of a command's table: the `parseArgs` options it reads, its help lines, and how its
 * value is made from the parsed arguments (and, for secrets, the environment and files).
 */
export interface FlagSpec<T> {
  readonly options: ArgOptions
  /** `[left column, explanation]` rows for the help. */
  readonly help: ReadonlyArray<readonly [string, string]>
  /** The help section the flag is listed under. */
  readonly group: string
  resolve(values: ParsedArgs['values'], context: FlagContext): T | Promise<T>
}

export type FlagTable = Record<string, FlagSpec<unknown>>

/** The resolved values of a flag table, one property per entry. */
export type FlagValues<T extends FlagTable> = { [K in keyof T]: T[K] extends FlagSpec<infer V> ? V : never }

interface Described {
  group: string
  help: string
}

/** `--name`: true when given. */
export function booleanFlag(name: string, about: Described): FlagSpec<boolean> {
  return {
    options: { [name]: { type: 'boolean' } },
    help: [[`--${name}`, about.help]],
    group: about.group,
    resolve: (values) => values[name] === true,
  }
}

/** `--name VALUE`, with a default or undefined when absent. */
export function stringFlag<D extends string | undefined = undefined>(
  name: string,
  about: Described & { arg: string; default?: D },
): FlagSpec<string | D> {
  return {
    options: { [name]: { type: 'string' } },
    help: [[`--${name} ${about.arg}`, about.help]],
    group: about.group,
    resolve: (values) => {
      const value = values[name]
      if (value === '') throw new UsageError(`--${name}: expected ${about.arg}, got an empty value`)
      return typeof value === 'string' ? value : (about.default as D)
    },
  }
}

/** `--name VALUE`, repeatable: every value given, in order. */
export function listFlag(name: string, about: Described & { arg: string }): FlagSpec<string[]> {
  return {
    options: { [name]: { type: 'string', multiple: true } },
    help: [[`--${name} ${about.arg}`, `${about.help} (repeatable)`]],
    group: about.group,
    resolve: (values) => {
      const given = (values[name] as string[] | undefined) ?? []
      if (given.some((value) => value.trim() === '')) {
        throw new UsageError(`--${name}: expected ${about.arg}, got an empty value`)
      }
      return given.map((value) => value.trim())
    },
  }
}

/** `--name N`: a whole number within bounds; the default, or undefined when there is none. */
export function integerFlag<D extends number | undefined>(
  name: string,
  about: Described & { arg: string; default: D; min: number; max: number },
): FlagSpec<number | D> {
  return {
    options: { [name]: { type: 'string' } },
    help: [
      [
        `--${name} ${about.arg}`,
        about.default === undefined ? about.help : `${about.help} (default ${about.default})`,
      ],
    ],
    group: about.group,
    resolve: (values) => {
      const raw = values[name]
      return typeof raw === 'string' ? integer(`--${name}`, raw, about.min, about.max) : about.default
    },
  }
}

/** `--name VALUE`: one of `choices`, or the default when absent. */
export function choiceFlag<C extends string>(
  name: string,
  about: Described & { choices: readonly C[]; default: C },
): FlagSpec<C> {
  return {
    options: { [name]: { type: 'string' } },
    help: [[`--${name} ${about.choices.join('|')}`, `${about.help} (default ${about.default})`]],
    group: about.group,
    resolve: (values) => {
      const value = values[name]
      if (value === undefined) return about.default
      if (typeof value === 'string' && (about.choices as readonly string[]).includes(value)) return value as C
      throw new UsageError(
        `--${name}: expected one of ${about.choices.join(', ')}, got ${JSON.stringify(value)}`,
      )
    },
  }
}

/**
 * A secret: `--name-file PATH` (recommended), the environment variable `env`, or `--name VALUE`
 * (visible to every user of the machine in `ps`, so a note says so). Undefined when none is given.
 */
export function secretFlag(name: string, about: Described & { env: string }): FlagSpec<string | undefined> {
  return {
    options: { [name]: { type: 'string' }, [`${name}-file`]: { type: 'string' } },
    help: [
      [`--${name}-file PATH`, `${about.help}, read from a file (or set ${about.env})`],
      [`--${name} VALUE`, `the same on the command line: visible to other users in \`ps\``],
    ],
    group: about.group,
    resolve: (values, context) =>
      readSecret(
        {
          flag: `--${name}`,
          value: values[name] as string | undefined,
          file: values[`${name}-file`] as string | undefined,
          env: about.env,
        },
        context,
      ),
  }
}

/** Where a secret may come from: a flag's value, a file named by `--flag-file`, an environment variable. */
export interface SecretSource {
  /** The flag, e.g. `--api-key`; its file form is `--api-key-file`. */
  flag: string
  value?: string | undefined
  file?: string | undefined
  /** The environment variable's name. */
  env?: string | undefined
}

/**
 * Reads a secret from its flag, its `-file` flag (the file's content without the final line break)
 * or its environment variable, in that order of precedence; undefined when none is set. A flag
 * and its file form together, an unreadable file or an empty value are usage errors naming the
 * flag; the secret itself is never quoted.
 */
export async function readSecret(source: SecretSource, context: FlagContext): Promise<string | undefined> {
  const { flag, value, file, env } = source
  if (value !== undefined && file !== undefined) {
    throw new UsageError(`${flag} and ${flag}-file: give one of them, not both`)
  }
  if (file !== undefined) {
    let text: string
    try {
      text = await context.readFile(file)
    } catch (error) {
      const code = (error as { code?: unknown }).code
      throw new UsageError(`${flag}-file: cannot read ${file} (${typeof code === 'string' ? code : 'error'})`)
    }
    const secret = text.replace(/\r?\n$/, '')
    if (secret.trim() === '') throw new UsageError(`${flag}-file: ${file} is empty`)
    if (/[\r\n]/.test(secret)) throw new UsageError(`${flag}-file: ${file} holds more than one line`)
    return secret
  }
  if (value !== undefined) {
    if (value.trim() === '') throw new UsageError(`${flag}: got an empty value`)
    const instead = env === undefined ? `${flag}-file` : `${env} or ${flag}-file`
    context.warn(
      `note: ${flag} on the command line is visible to every user of this machine; prefer ${instead}.`,
    )
    return value
  }
  const fromEnv = env === undefined ? undefined : context.env[env]
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv
}

/** Parses `values` against a whole table, resolving every flag. */
export async function resolveFlags<T extends FlagTable>(
  table: T,
  values: ParsedArgs['values'],
  context: FlagContext,
): Promise<FlagValues<T>> {
  const out: Record<string, unknown> = {}
  for (const [key, spec] of Object.entries(table)) out[key] = await spec.resolve(values, context)
  return out as FlagValues<T>
}

/** The `parseArgs` options of a whole table. */
export function tableOptions(table: FlagTable): ArgOptions {
  const options: ArgOptions = {}
  for (const spec of Object.values(table)) Object.assign(options, spec.options)
  return options
}

/** The table's help, flags grouped under their section titles in table order. */
export function tableHelp(table: FlagTable): string {
  const groups = new Map<string, Array<readonly [string, string]>>()
  for (const spec of Object.values(table)) {
    const rows = groups.get(spec.group) ?? []
    rows.push(...spec.help)
    groups.set(spec.group, rows)
  }
  const width = Math.max(...[...groups.values()].flat().map(([left]) => left.length)) + 2
  const sections: string[] = []
  for (const [group, rows] of groups) {
    sections.push(`${group}:\n${rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n')}`)
  }
  return sections.join('\n\n')
}
