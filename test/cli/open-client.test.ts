import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { nodeModules } from '../../src/auth/files.js'
import { kiroCliDatabasePaths } from '../../src/auth/kiro-cli-database.js'
import { openClient } from '../../src/cli/open-client.js'
import { defaultLoginInput } from '../../src/cli/serve/shared-login.js'
import { MemoryState } from '../../src/state/memory.js'

describe('openClient with a shared state', () => {
  it('keeps the accounts of an accounts file as the pool on that state', async () => {
    const state = new MemoryState()
    const opened = await openClient({
      simulate: false,
      env: { HOME: '/nonexistent-home' },
      client: {
        accounts: [
          { id: 'alice', credentials: { accessToken: 'alice-access-token-01' } },
          { id: 'bob', credentials: { accessToken: 'bob-access-token-0002' } },
        ],
      },
      state,
    })
    try {
      const ids = (await opened.client.accounts.list()).map((account) => account.id)
      expect(ids.sort()).toEqual(['alice', 'bob'])
    } finally {
      await opened.close()
    }
  })

  it('makes the one login the default account of a pool on the state when there is no accounts file', async () => {
    const opened = await openClient({ simulate: true, state: new MemoryState() })
    try {
      const ids = (await opened.client.accounts.list()).map((account) => account.id)
      expect(ids).toEqual(['default'])
    } finally {
      await opened.close()
    }
  })
})

describe('the login serve --redis finds by itself', () => {
  it('takes the variables first, then the IDE token file or a kiro-cli database on disk', async () => {
    const home = await mkdtemp(join(tmpdir(), 'kiro-login-'))
    const { HOME: saved } = process.env
    // os.homedir() follows HOME on POSIX: the IDE token file is looked up under this temp dir.
    Object.assign(process.env, { HOME: home })
    try {
      const env = { XDG_DATA_HOME: join(home, 'data'), APPDATA: join(home, 'appdata') }
      expect(await defaultLoginInput({ ...env, KIRO_API_KEY: 'ksk_0123456789abcdef' })).toEqual({
        apiKey: 'ksk_0123456789abcdef',
      })
      // Nothing on disk: the IDE token file, whose absence the first request reports.
      expect(await defaultLoginInput(env)).toEqual({ tokenFile: '~/.aws/sso/cache/kiro-auth-token.json' })
      const [db] = kiroCliDatabasePaths(await nodeModules(), env)
      await mkdir(dirname(db!), { recursive: true })
      await writeFile(db!, '')
      // Given a way to open it, as a runtime with node:sqlite has.
      const openDatabase = async () => {
        throw new Error('not opened by the lookup')
      }
      expect(await defaultLoginInput(env, { openDatabase })).toEqual({ kiroCliDb: db })
      const ide = join(home, '.aws', 'sso', 'cache', 'kiro-auth-token.json')
      await mkdir(dirname(ide), { recursive: true })
      await writeFile(ide, '{}')
      expect(await defaultLoginInput(env, { openDatabase })).toEqual({ tokenFile: ide })
    } finally {
      if (saved === undefined) Reflect.deleteProperty(process.env, 'HOME')
      else Object.assign(process.env, { HOME: saved })
      await rm(home, { recursive: true, force: true })
    }
  })
})
