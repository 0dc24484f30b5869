import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FileTokenStore } from '../../src/auth/file-token-store.js'
import type { StoredToken } from '../../src/auth/types.js'
import { writeLogin } from '../../src/cli/accounts/import-login.js'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

describe('writeLogin (kiro-client accounts add)', () => {
  it('keeps what an external identity provider login needs to refresh: its method, token endpoint and scopes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiro-import-'))
    dirs.push(dir)
    const target = join(dir, 'accounts', 'corp.json')
    const login: StoredToken = {
      accessToken: 'external-access-token-0001',
      refreshToken: 'external-refresh-token-0001',
      expiresAt: Date.parse('2026-12-03T12:00:00.000Z'),
      authMethod: 'external_idp',
      region: 'us-east-1',
      tokenEndpoint: 'https://login.example.com/oauth2/token',
      scopes: 'openid offline_access',
      clientId: 'corp-client',
    }
    await writeLogin(target, login)
    const file = JSON.parse(await readFile(target, 'utf8')) as Record<string, unknown>
    expect(file).toMatchObject({
      authMethod: 'external_idp',
      tokenEndpoint: login.tokenEndpoint,
      scopes: login.scopes,
    })
    expect(await new FileTokenStore({ path: target }).load()).toMatchObject({
      authMethod: 'external_idp',
      tokenEndpoint: login.tokenEndpoint,
      scopes: login.scopes,
      clientId: 'corp-client',
    })
  })
})
