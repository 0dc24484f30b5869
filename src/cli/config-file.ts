import { readFile } from 'node:fs/promises'
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
