import { hashHex } from './hash.js'

/** What Kiro accepts for a tool name and a tool-use id (docs/protocol.md §3.6). */
export const KIRO_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/

const INVALID_CHARS = /[^a-zA-Z0-9_-]/g

/**
 * A name Kiro accepts: valid names unchanged; any other name with its invalid characters replaced
 * by `_`, cut to 55 characters, plus `_` and 8 hex characters of a hash of the whole original, so
 * the result is deterministic, at most 64 characters, and distinct for distinct originals.
 */
export function toKiroName(name: string, hashChars = 8): string {
  if (KIRO_NAME_PATTERN.test(name)) return name
  return `${name.replace(INVALID_CHARS, '_').slice(0, 63 - hashChars)}_${hashHex(name, hashChars)}`
}

/**
 * The tool names of one request: the caller's name to Kiro's and back. Only renamed tools enter
 * the reverse map (the response side passes any name not in it through unchanged).
 */
export class ToolNameRegistry {
  /** Kiro name → caller's name, renamed tools only. */
  readonly renamed = new Map<string, string>()
  private readonly toKiro = new Map<string, string>()

  kiroName(name: string): string {
    if (KIRO_NAME_PATTERN.test(name)) return name
    const known = this.toKiro.get(name)
    if (known !== undefined) return known
    let kiro = toKiroName(name)
    // A collision with another renamed name (or a valid name equal to it) gets a longer hash.
    if (this.renamed.has(kiro)) kiro = toKiroName(name, 16)
    this.toKiro.set(name, kiro)
    this.renamed.set(kiro, name)
    return kiro
  }
}

/** A tool-use id Kiro accepts, by the same rule as {@link toKiroName} (ids share the name pattern). */
export function toKiroToolUseId(id: string): string {
  return toKiroName(id)
}
