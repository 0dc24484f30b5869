import { ConfigurationError } from '../errors/configuration-error.js'

/** Who presented a client key: the member's name, and the accounts the key is pinned to. */
interface ClientKeyMatch {
  member: string
  /** Only these accounts serve the member's requests; undefined: any. */
  accounts?: readonly string[] | undefined
}

/** One team member's key as stored: its SHA-256, never the key itself. */
export interface ClientKeyEntry {
  /** 64 hex digits: the SHA-256 of the key's UTF-8 bytes. */
  sha256: string
  accounts?: readonly string[] | undefined
}

/** Named client keys (docs/accounts.md "Client keys"): finds the member a presented key belongs to. */
export interface ClientKeys {
  /** The member whose key is among `presented`, compared in constant time; undefined when none. */
  identify(presented: readonly string[]): Promise<ClientKeyMatch | undefined>
}

const NAME = /^[A-Za-z0-9._@-]{1,64}$/
const HEX = /^[0-9a-f]{64}$/

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
}

/** The SHA-256 of a key, as the client keys file stores it. */
export async function hashClientKey(key: string): Promise<string> {
  return Array.from(await sha256(key), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(32)
  for (let i = 0; i < 32; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return bytes
}

/**
 * Checks the content of a client keys file, `{ "<name>": "sha256:<hex>" | { "sha256": "<hex>",
 * "accounts": [...] } }`, naming the entry at fault. A plain key is refused: the file stores hashes.
 */
export function parseClientKeys(value: unknown, field = 'clientKeys'): Map<string, ClientKeyEntry> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError(field, 'expected an object of member name -> key hash.')
  }
  const entries = new Map<string, ClientKeyEntry>()
  const seen = new Set<string>()
  for (const [name, raw] of Object.entries(value)) {
    const at = `${field}.${name}`
    if (!NAME.test(name)) throw new ConfigurationError(at, 'a member name is 1-64 of A-Z a-z 0-9 . _ @ -.')
    const entry = typeof raw === 'string' ? { sha256: raw } : raw
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new ConfigurationError(at, 'expected "sha256:<hex>" or { "sha256": "<hex>", "accounts": [...] }.')
    }
    const { sha256: given, accounts, ...rest } = entry as Record<string, unknown>
    const unknown = Object.keys(rest)[0]
    if (unknown !== undefined) throw new ConfigurationError(`${at}.${unknown}`, 'unknown field.')
    const hex = typeof given === 'string' ? given.replace(/^sha256:/, '').toLowerCase() : ''
    if (!HEX.test(hex)) {
      throw new ConfigurationError(
        `${at}.sha256`,
        'expected the SHA-256 of the key (64 hex digits), never the key itself; `kiro-client keys add` makes one.',
      )
    }
    if (seen.has(hex)) throw new ConfigurationError(`${at}.sha256`, 'the same key is given to two members.')
    seen.add(hex)
    if (
      accounts !== undefined &&
      !(Array.isArray(accounts) && accounts.every((id) => typeof id === 'string'))
    ) {
      throw new ConfigurationError(`${at}.accounts`, 'expected an array of account ids.')
    }
    entries.set(
      name,
      accounts === undefined ? { sha256: hex } : { sha256: hex, accounts: accounts as string[] },
    )
  }
  return entries
}

/**
 * The member check of a server: each presented key is hashed once and compared with every stored
 * hash, without an early exit on a match, so the time says nothing about which member (if any) matched.
 */
export function createClientKeys(entries: ReadonlyMap<string, ClientKeyEntry>): ClientKeys {
  const table = [...entries].map(([member, entry]) => ({
    digest: fromHex(entry.sha256),
    match: entry.accounts === undefined ? { member } : { member, accounts: entry.accounts },
  }))
  return {
    async identify(presented) {
      let found: ClientKeyMatch | undefined
      for (const key of presented.length === 0 ? [''] : presented) {
        const digest = await sha256(key)
        for (const row of table) {
          let difference = key === '' ? 1 : 0
          for (let i = 0; i < 32; i++) difference |= (row.digest[i] ?? 0) ^ (digest[i] ?? 0)
          if (difference === 0 && found === undefined) found = row.match
        }
      }
      return found
    },
  }
}
