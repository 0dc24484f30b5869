import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { StaticCredentials } from '../../src/auth/sources/static.js'
import { TokenFileCredentials } from '../../src/auth/sources/token-file.js'
import { effectiveAuthMethod, normalizeAuthMethod } from '../../src/auth/types.js'
import { KiroClient } from '../../src/client/kiro-client.js'
import { CredentialsError } from '../../src/errors/credentials-error.js'
import { createKiroSimulator, type KiroSimulator } from '../../src/testing/index.js'

const ACCESS = 'idp-access-old-7c1e'
const REFRESH = 'idp-refresh-old-4b2a'
let sim: KiroSimulator
let dir: string

beforeEach(async () => {
  sim = await createKiroSimulator({
    tokens: { accessToken: ACCESS, refreshToken: REFRESH, clientId: 'idp-client', tokenType: 'EXTERNAL_IDP' },
  })
  dir = await mkdtemp(join(tmpdir(), 'kiro-idp-'))
})
afterEach(async () => {
  await sim.close()
  await rm(dir, { recursive: true, force: true })
})

describe('external identity provider logins (docs/protocol.md §9.2)', () => {
  it('reads the auth method and infers it from a token endpoint', () => {
    expect(normalizeAuthMethod('external_idp')).toBe('external_idp')
    expect(normalizeAuthMethod('External-IdP')).toBe('external_idp')
    expect(
      effectiveAuthMethod({ refreshToken: 'r', clientId: 'c', tokenEndpoint: 'https://idp.example/t' }),
    ).toBe('external_idp')
  })

  it('refreshes with a form-encoded refresh_token grant at the token endpoint, then calls Kiro with tokentype EXTERNAL_IDP', async () => {
    const file = join(dir, 'kiro-auth-token.json')
    await writeFile(
      file,
      JSON.stringify({
        accessToken: 'expired',
        refreshToken: REFRESH,
        expiresAt: new Date(Date.now() - 60_000).toISOString(),
        authMethod: 'external_idp',
        clientId: 'idp-client',
        tokenEndpoint: sim.refreshUrls.externalIdp,
        scopes: ['openid', 'offline_access', 'api://kiro/.default'],
        profileArn: 'arn:aws:codewhisperer:us-east-1:123456789012:profile/ENTERPRISE1',
      }),
    )
    const client = new KiroClient({ baseURL: sim.url, credentials: new TokenFileCredentials({ path: file }) })
    try {
      const message = await client.messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Hi' }],
      })
      expect(message.content[0]).toMatchObject({ type: 'text' })
    } finally {
      client.close()
    }
    const [refresh] = sim.refreshRequests
    expect(refresh?.kind).toBe('refresh-external-idp')
    expect(refresh?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(refresh?.body))).toEqual({
      client_id: 'idp-client',
      grant_type: 'refresh_token',
      refresh_token: REFRESH,
      scope: 'openid offline_access api://kiro/.default',
    })
    const [generate] = sim.generateRequests
    expect(generate?.headers['tokentype']).toBe('EXTERNAL_IDP')
    expect(generate?.headers['authorization']).toBe(`Bearer ${sim.tokens?.accessToken}`)
    // The rotated tokens went back to the file, the method and endpoint kept.
    const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>
    expect(saved['refreshToken']).toBe(sim.tokens?.refreshToken)
    expect(saved['authMethod']).toBe('external_idp')
    expect(saved['tokenEndpoint']).toBe(sim.refreshUrls.externalIdp)
  })

  it('every Kiro call of the login carries tokentype EXTERNAL_IDP: usage, models, web search', async () => {
    const usageSim = await createKiroSimulator({
      tokens: { accessToken: ACCESS, refreshToken: REFRESH, tokenType: 'EXTERNAL_IDP' },
      usageLimits: { usageBreakdownList: [], subscriptionInfo: { subscriptionTitle: 'KIRO ENTERPRISE' } },
      script: [[{ toolUse: { name: 'web_search', input: { query: 'kiro' } } }], [{ text: 'Found.' }]],
    })
    const client = new KiroClient({
      baseURL: usageSim.url,
      credentials: {
        accessToken: ACCESS,
        expiresAt: Date.now() + 3_600_000,
        authMethod: 'external_idp',
        profileArn: 'arn:aws:codewhisperer:us-east-1:123456789012:profile/ENTERPRISE1',
      },
    })
    try {
      expect((await client.usage()).plan?.title).toBe('KIRO ENTERPRISE')
      expect((await client.models.list()).source).toBe('kiro')
      const message = await client.messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        tools: [{ type: 'web_search_20250305', name: 'web_search' }],
        messages: [{ role: 'user', content: 'News?' }],
      })
      expect(message.usage.server_tool_use?.web_search_requests).toBe(1)
      const kinds = usageSim.requests.map((r) => r.kind)
      expect(kinds).toEqual(['usage', 'models', 'generate', 'mcp', 'generate'])
      for (const request of usageSim.requests) expect(request.headers['tokentype']).toBe('EXTERNAL_IDP')
    } finally {
      client.close()
      await usageSim.close()
    }
  })

  it('a refused refresh token (invalid_grant) is a dead login, without the token in the message', async () => {
    const credentials = new StaticCredentials({
      refreshToken: 'not-the-current-one-9d8e',
      authMethod: 'external_idp',
      clientId: 'idp-client',
      tokenEndpoint: sim.refreshUrls.externalIdp,
    })
    const error = await credentials.getToken().catch((e: unknown) => e)
    credentials.close()
    expect(error).toBeInstanceOf(CredentialsError)
    expect(error).toMatchObject({ code: 'refresh_token_invalid' })
    expect((error as Error).message).not.toContain('not-the-current-one-9d8e')
  })

  it('checks the login: client id and token endpoint required, https only', () => {
    const base = { refreshToken: 'r', authMethod: 'external_idp' }
    expect(() => new StaticCredentials({ ...base, clientId: 'c' })).toThrow(
      'credentials.tokenEndpoint: required to refresh an external identity provider login',
    )
    expect(() => new StaticCredentials({ ...base, tokenEndpoint: 'https://login.example.com/t' })).toThrow(
      'credentials.clientId',
    )
    expect(
      () =>
        new StaticCredentials({ ...base, clientId: 'c', tokenEndpoint: 'http://login.example.com/token' }),
    ).toThrow('credentials.tokenEndpoint: expected an https URL')
    expect(
      () =>
        new StaticCredentials({
          ...base,
          clientId: 'c',
          tokenEndpoint: 'https://user:pw@login.example.com/t',
        }),
    ).toThrow(CredentialsError)
  })

  it('a token file with an http token endpoint is refused, naming the field', async () => {
    const file = join(dir, 'bad.json')
    await writeFile(
      file,
      JSON.stringify({
        refreshToken: 'r',
        authMethod: 'external_idp',
        clientId: 'c',
        tokenEndpoint: 'http://evil.example/t',
      }),
    )
    const credentials = new TokenFileCredentials({ path: file })
    const error = await credentials.getToken().catch((e: unknown) => e)
    credentials.close()
    expect((error as Error).message).toContain('tokenEndpoint: expected an https URL')
  })
})
