import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type FileSystem, nodeFileSystem, nodeModules } from '../../src/auth/files.js'
import {
  type KiroCliDatabase,
  kiroCliDatabasePaths,
  nodeSqliteSupported,
} from '../../src/auth/kiro-cli-database.js'
import { resolveCredentials } from '../../src/auth/resolve-credentials.js'
import { ApiKeyCredentials } from '../../src/auth/sources/api-key.js'
import { StaticCredentials } from '../../src/auth/sources/static.js'
import type { CredentialsProvider } from '../../src/auth/types.js'
import { CredentialsError } from '../../src/errors/credentials-error.js'

let home: string
let savedHome: string | undefined
const providers: CredentialsProvider[] = []
const FAR = '2999-01-01T00:00:00.000Z'

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'kiro-home-'))
  // os.homedir() follows HOME on POSIX: the default token file is looked up under this temp dir.
  ;({ HOME: savedHome } = process.env)
  Object.assign(process.env, { HOME: home, USERPROFILE: home })
})
afterEach(async () => {
  for (const provider of providers.splice(0)) provider.close()
  if (savedHome === undefined) Reflect.deleteProperty(process.env, 'HOME')
  else Object.assign(process.env, { HOME: savedHome })
  await rm(home, { recursive: true, force: true })
})

function resolve(...args: Parameters<typeof resolveCredentials>): CredentialsProvider {
  const provider = resolveCredentials(...args)
  providers.push(provider)
  return provider
}

function thrown(fn: () => unknown): CredentialsError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialsError)
    return error as CredentialsError
  }
  throw new Error('expected a throw')
}

describe('resolveCredentials(input)', () => {
  it('passes a provider through', () => {
    const provider = new ApiKeyCredentials('ksk_abc')
    expect(resolve(provider)).toBe(provider)
  })

  it('an API key gives an api_key token', async () => {
    expect(await resolve({ apiKey: 'ksk_live_123' }).getToken()).toEqual({
      accessToken: 'ksk_live_123',
      kind: 'api_key',
      authMethod: 'api_key',
    })
    // A ksk_ key given as an access token still needs `tokentype: API_KEY`.
    expect(await resolve({ accessToken: 'ksk_as_access' }).getToken()).toMatchObject({ kind: 'api_key' })
    expect(thrown(() => resolve({ apiKey: 'sk-ant-123' }))).toMatchObject({
      code: 'invalid_credentials',
      message: expect.stringContaining('apiKey: expected a Kiro API key starting with "ksk_"'),
    })
  })

  it('plain credentials are validated field by field', async () => {
    const provider = resolve({ accessToken: 'a', expiresAt: FAR, profileArn: 'arn:x' })
    expect(provider).toBeInstanceOf(StaticCredentials)
    expect(await provider.getToken()).toMatchObject({
      accessToken: 'a',
      expiresAt: Date.parse(FAR),
      profileArn: 'arn:x',
    })
    expect(thrown(() => resolve({ refreshToken: 'r', expiresAt: 'tomorrow' })).message).toBe(
      'credentials.expiresAt: expected an ISO 8601 date, milliseconds since the epoch, or a Date.',
    )
    expect(thrown(() => resolve({ refreshToken: 'r', authMethod: 'oauth' })).message).toMatch(
      /^credentials\.authMethod:/,
    )
    expect(thrown(() => resolve({ refreshToken: 'r', authMethod: 'idc' })).message).toMatch(
      /^credentials\.clientId:/,
    )
    expect(thrown(() => resolve({ expiresAt: FAR })).message).toMatch(/^credentials\.accessToken: missing/)
    expect(thrown(() => resolve({ accessToken: 'a', region: 'x.evil/' })).message).toMatch(
      /^credentials\.region:/,
    )
    expect(thrown(() => resolve({ accessToken: 'a', access_token: 'b' } as never)).message).toBe(
      'credentials.access_token: unknown field (did you mean accessToken?).',
    )
    expect(thrown(() => resolve(null as never)).message).toBe('credentials: expected an object, got null.')
  })

  it('a token file path', () => {
    expect(resolve({ tokenFile: '/x/kiro.json' }).describe()).toEqual({
      source: 'token-file',
      path: '/x/kiro.json',
    })
  })
})

describe('resolveCredentials(undefined): lookup order', () => {
  const file = () => join(home, 'explicit.json')

  it('1. KIRO_AUTH_TOKEN_FILE wins over everything else', () => {
    const provider = resolve(undefined, {
      env: { KIRO_AUTH_TOKEN_FILE: file(), KIRO_API_KEY: 'ksk_x', KIRO_ACCESS_TOKEN: 'a' },
    })
    expect(provider.describe()).toMatchObject({ source: 'token-file', path: file() })
  })

  it('2. KIRO_CLI_DB, then 3. KIRO_API_KEY, then 4. KIRO_ACCESS_TOKEN / KIRO_REFRESH_TOKEN', async () => {
    expect(
      resolve(undefined, { env: { KIRO_CLI_DB: '/db', KIRO_API_KEY: 'ksk_x' } }).describe(),
    ).toMatchObject({
      source: 'kiro-cli-sqlite',
      path: '/db',
    })
    expect(resolve(undefined, { env: { KIRO_API_KEY: 'ksk_x', KIRO_ACCESS_TOKEN: 'a' } }).describe()).toEqual(
      {
        source: 'env',
        authMethod: 'api_key',
        canRefresh: false,
      },
    )
    const env = resolve(undefined, {
      env: {
        KIRO_ACCESS_TOKEN: 'env-access',
        KIRO_EXPIRES_AT: String(Date.parse(FAR)),
        KIRO_REGION: 'eu-central-1',
      },
    })
    expect(await env.getToken()).toMatchObject({
      accessToken: 'env-access',
      expiresAt: Date.parse(FAR),
      region: 'eu-central-1',
    })
    expect(env.describe().source).toBe('env')
  })

  it('names the environment variable of a bad value', () => {
    expect(
      thrown(() => resolve(undefined, { env: { KIRO_REFRESH_TOKEN: 'r', KIRO_EXPIRES_AT: 'soon' } })).message,
    ).toMatch(/^KIRO_EXPIRES_AT: /)
    expect(thrown(() => resolve(undefined, { env: { KIRO_API_KEY: 'nope' } })).message).toMatch(
      /^KIRO_API_KEY: /,
    )
  })

  it('5. the Kiro IDE token file, found on first use', async () => {
    const provider = resolve(undefined, { env: {} })
    expect(provider.describe()).toEqual({ source: 'default', path: '~/.aws/sso/cache/kiro-auth-token.json' })
    const tokenFile = join(home, '.aws', 'sso', 'cache', 'kiro-auth-token.json')
    await mkdir(join(home, '.aws', 'sso', 'cache'), { recursive: true })
    await writeFile(
      tokenFile,
      JSON.stringify({ accessToken: 'ide-access', expiresAt: FAR, refreshToken: 'r' }),
    )
    expect((await provider.getToken()).accessToken).toBe('ide-access')
    expect(provider.describe()).toMatchObject({ source: 'token-file', path: tokenFile })
  })

  it('6. the kiro-cli database, skipped with a clear message where node:sqlite is missing', async () => {
    const env = { XDG_DATA_HOME: join(home, 'data'), APPDATA: join(home, 'appdata') }
    const [dbPath] = kiroCliDatabasePaths(await nodeModules(), env)
    await mkdir(dirname(dbPath!), { recursive: true })
    await writeFile(dbPath!, '')
    const fake = async (): Promise<KiroCliDatabase> => ({
      get: (_table, key) =>
        key === 'kirocli:social:token'
          ? JSON.stringify({ access_token: 'cli-access', expires_at: FAR })
          : undefined,
      set: () => {},
      transaction: (fn) => fn(),
      close: () => {},
    })
    const withSqlite = resolve(undefined, { env, openDatabase: fake })
    expect((await withSqlite.getToken()).accessToken).toBe('cli-access')
    expect(withSqlite.describe()).toMatchObject({ source: 'kiro-cli-sqlite', path: dbPath })

    const error = await resolve(undefined, { env })
      .getToken()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CredentialsError)
    if (nodeSqliteSupported()) {
      // The empty file opens as an empty database, which holds no kiro-cli tables.
      expect(error).toMatchObject({ code: 'invalid_file', message: expect.stringContaining(dbPath!) })
    } else {
      expect(error).toMatchObject({
        code: 'not_found',
        message: expect.stringContaining('skipped: The kiro-cli SQLite store needs node:sqlite'),
      })
    }
  })

  it('nothing found: not_found naming every place looked at, and a later sign-in is picked up', async () => {
    const provider = resolve(undefined, { env: {} })
    const error = (await provider.getToken().catch((e: unknown) => e)) as CredentialsError
    expect(error).toBeInstanceOf(CredentialsError)
    expect(error.code).toBe('not_found')
    for (const place of ['KIRO_AUTH_TOKEN_FILE', 'KIRO_API_KEY', 'kiro-auth-token.json', 'data.sqlite3']) {
      expect(error.message).toContain(place)
    }
    await mkdir(join(home, '.aws', 'sso', 'cache'), { recursive: true })
    await writeFile(
      join(home, '.aws', 'sso', 'cache', 'kiro-auth-token.json'),
      JSON.stringify({ accessToken: 'later', expiresAt: FAR }),
    )
    expect((await provider.getToken()).accessToken).toBe('later')
  })

  it('an unreadable login directory is a CredentialsError naming the path, not a raw fs error', async () => {
    const denied: FileSystem = {
      ...nodeFileSystem,
      stat: async (path) => {
        throw Object.assign(new Error(`EACCES: permission denied, stat '${path}'`), { code: 'EACCES' })
      },
    }
    const provider = resolve(undefined, { env: {}, fs: denied })
    const error = (await provider.getToken().catch((e: unknown) => e)) as CredentialsError
    expect(error).toBeInstanceOf(CredentialsError)
    expect(error.code).toBe('invalid_file')
    expect(error.message).toContain('kiro-auth-token.json: cannot be read (EACCES)')
  })
})
