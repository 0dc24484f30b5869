import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KiroError } from 'kiro-client'
import * as entry from 'kiro-client/redis'
import { describe, expect, it } from 'vitest'

const SRC = fileURLToPath(new URL('../../src/', import.meta.url))

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? sourceFiles(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]),
    ),
  )
  return nested.flat().filter((file) => file.endsWith('.ts'))
}

describe('kiro-client/redis', () => {
  it('exports the state factory and its errors, which are KiroErrors', () => {
    expect(Object.keys(entry).sort()).toEqual([
      'LockTimeoutError',
      'RedisState',
      'StateUnavailableError',
      'createRedisState',
    ])
    expect(new entry.StateUnavailableError('x')).toBeInstanceOf(KiroError)
    expect(new entry.LockTimeoutError('x')).toBeInstanceOf(KiroError)
  })

  it('no source file imports a Redis library: the user brings the client', async () => {
    const offenders: string[] = []
    for (const file of await sourceFiles(SRC)) {
      // Code lines only: doc comments show users how to create their client.
      const code = (await readFile(file, 'utf8')).split('\n').filter((line) => !/^\s*(\*|\/\/)/.test(line))
      if (code.some((line) => /(from|import\()\s*['"](ioredis|redis|@redis\/[^'"]+)['"]/.test(line))) {
        offenders.push(file)
      }
    }
    expect(offenders).toEqual([])
  })
})
