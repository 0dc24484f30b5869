import { readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { nodeFileSystem, writeFileAtomic } from '../auth/files.js'
import { ConfigurationError } from '../errors/configuration-error.js'

/** The text of a configuration file (accounts, client keys); one that cannot be read is a `ConfigurationError` naming it. */
export async function readConfigText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as { code?: unknown }).code
    throw new ConfigurationError(file, `cannot be read (${typeof code === 'string' ? code : 'error'}).`)
  }
}

/** A configuration file's JSON; bad JSON is a `ConfigurationError` naming the file, never quoting it. */
export function parseConfigJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new ConfigurationError(file, `not valid JSON (${text.length} bytes).`)
  }
}

/**
 * The text of a configuration file that a command edits (`accounts`, `keys`); undefined when it
 * does not exist yet, which such a command creates.
 */
export async function readEditableConfig(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined
    throw error
  }
}

/** Writes a configuration file as formatted JSON, atomically and owner-only (it may name where secrets are). */
export async function writeConfigFile(file: string, value: unknown): Promise<void> {
  await nodeFileSystem.mkdir(dirname(file))
  await writeFileAtomic(nodeFileSystem, file, `${JSON.stringify(value, null, 2)}\n`)
}
