import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveCredentials } from '../../src/auth/resolve-credentials.js'
import { ApiKeyCredentials } from '../../src/auth/sources/api-key.js'
import { StaticCredentials } from '../../src/auth/sources/static.js'
import { TokenFileCredentials } from '../../src/auth/sources/token-file.js'
import type { CredentialsProvider, RefreshEvent } from '../../src/auth/types.js'
import { type RefreshServer, type Reply, startRefreshServer } from './helpers/refresh-server.js'

// Short enough that only the known-secret redaction (not the long-run heuristic) can hide them.
const ACCESS = 'acc-SECRET-0a1b2c3d'
const REFRESH = 'ref-SECRET-4e5f6a7b'
const CLIENT_SECRET = 'cli-SECRET-8c9d0e1f'
const API_KEY = 'ksk_SECRET-2a3b4c5d'
const SECRETS = [ACCESS, REFRESH, CLIENT_SECRET, API_KEY]
const ECHO = `${ACCESS} ${REFRESH} ${CLIENT_SECRET}`

let server: RefreshServer
let dir: string
const seen: string[] = []
const events: RefreshEvent[] = []

beforeAll(async () => {
  server = await startRefreshServer()
  dir = await mkdtemp(join(tmpdir(), 'kiro-secrets-'))
})
afterAll(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

/** Everything a user could print: message, inspect (stack, cause chain, own properties), JSON. */
function record(error: unknown): void {
  seen.push(inspect(error, { depth: 10 }), String(error), JSON.stringify(error))
  let cause = (error as { cause?: unknown }).cause
  while (cause !== undefined) {
    seen.push(inspect(cause, { depth: 10 }), String(cause))
    cause = (cause as { cause?: unknown }).cause
  }
}

async function fail(provider: CredentialsProvider, reply: Reply): Promise<void> {
  server.handle(() => reply)
  const error = await provider.getToken().catch((e: unknown) => e)
  expect(error).toBeInstanceOf(Error)
  record(error)
  seen.push(JSON.stringify(provider.describe()))
  provider.close()
}

function idc(options: Record<string, unknown> = {}): StaticCredentials {
  return new StaticCredentials(
    {
      accessToken: ACCESS,
      refreshToken: REFRESH,
      expiresAt: 1,
      authMethod: 'idc',
      clientId: 'cid',
      clientSecret: CLIENT_SECRET,
    },
    { refreshEndpoints: server.endpoints, onRefresh: (event) => events.push(event), ...options },
  )
}

describe('no secret ever appears in an error or a hook payload', () => {
  it('survives every failure path', async () => {
    await fail(idc(), {
      status: 400,
      json: { error: 'invalid_grant', error_description: `bad token ${ECHO}` },
    })
    await fail(idc(), { status: 500, text: `oops ${ECHO}` })
    await fail(idc(), { status: 401, json: { message: `denied ${ECHO}`, __type: ACCESS } })
    await fail(idc(), { status: 200, text: `not json ${ECHO}` })
    await fail(idc(), { status: 200, json: { refreshToken: REFRESH, note: ECHO } })
    await fail(idc(), { status: 200, json: { accessToken: ACCESS, expiresIn: -5 } })
    await fail(idc({ refreshTimeoutMs: 100 }), 'hang')
    await fail(idc({ refreshEndpoints: { idc: 'http://127.0.0.1:9/{region}' } }), { json: {} })

    const rejected = idc()
    server.handle(() => ({ status: 400, json: { error: 'invalid_grant', error_description: ECHO } }))
    record(await rejected.invalidate({ accessToken: ACCESS, kind: 'bearer' }).catch((e: unknown) => e))

    const file = join(dir, 'broken.json')
    await writeFile(
      file,
      `{"accessToken":"${ACCESS}","refreshToken":"${REFRESH}","clientSecret":"${CLIENT_SECRET}"`,
    )
    await fail(new TokenFileCredentials({ path: file }), { json: {} })
    await writeFile(
      file,
      JSON.stringify({ accessToken: ACCESS, refreshToken: REFRESH, expiresAt: `x${ACCESS}` }),
    )
    await fail(new TokenFileCredentials({ path: file }), { json: {} })

    for (const bad of [
      () => new ApiKeyCredentials(`not-a-key-${ACCESS}`),
      () => new ApiKeyCredentials(`${API_KEY} trailing`),
      () => new StaticCredentials({ accessToken: ACCESS, refreshToken: REFRESH, expiresAt: `x${REFRESH}` }),
      () => new StaticCredentials({ accessToken: ACCESS, refreshToken: REFRESH, region: ACCESS }),
      () => resolveCredentials({ accessToken: ACCESS, refresh_token: REFRESH } as never),
      () => resolveCredentials(undefined, { env: { KIRO_API_KEY: `bad${CLIENT_SECRET}` } }),
      () =>
        resolveCredentials(undefined, { env: { KIRO_ACCESS_TOKEN: ACCESS, KIRO_EXPIRES_AT: `x${ACCESS}` } }),
    ]) {
      let thrown: unknown
      try {
        bad()
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(Error)
      record(thrown)
    }

    const key = new ApiKeyCredentials(API_KEY)
    record(await key.invalidate(await key.getToken()).catch((e: unknown) => e))
    seen.push(JSON.stringify(key.describe()))

    expect(events.length).toBeGreaterThanOrEqual(8)
    seen.push(...events.map((event) => JSON.stringify(event)))
    expect(seen.length).toBeGreaterThan(40)
    for (const text of seen) {
      for (const secret of SECRETS) expect(text).not.toContain(secret)
    }
  })

  it('the messages still say what went wrong', () => {
    const joined = seen.join('\n')
    expect(joined).toContain('refresh_token_invalid')
    expect(joined).toContain('HTTP 500')
    expect(joined).toContain('[redacted]')
    expect(joined).toMatch(/credentials\.refresh_token: unknown field \(did you mean refreshToken\?\)/)
    expect(joined).toContain('KIRO_EXPIRES_AT')
  })
})
