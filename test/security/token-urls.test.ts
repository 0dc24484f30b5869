import { describe, expect, it } from 'vitest'
import { resolveCredentials } from '../../src/auth/resolve-credentials.js'
import { KiroClient } from '../../src/client/kiro-client.js'
import { ConfigurationError } from '../../src/errors/configuration-error.js'
import { createKiroSimulator } from '../../src/testing/index.js'

const login = {
  accessToken: 'url-test-access-0001',
  refreshToken: 'url-test-refresh-0001',
  authMethod: 'social',
}

describe('URLs that receive a token', () => {
  it('refuses plain-http refresh endpoints off loopback, naming the endpoint', () => {
    for (const [endpoints, field] of [
      [{ social: 'http://auth.example.com/refreshToken' }, 'refreshEndpoints.social'],
      [{ idc: 'http://oidc.{region}.example.com/token' }, 'refreshEndpoints.idc'],
      [{ social: 'ftp://auth.example.com/x' }, 'refreshEndpoints.social'],
      [{ social: 'https://user:pass@auth.example.com/x' }, 'refreshEndpoints.social'],
    ] as const) {
      const attempt = () => new KiroClient({ credentials: login, refreshEndpoints: endpoints })
      expect(attempt).toThrow(ConfigurationError)
      expect(attempt).toThrow(field)
      expect(() => resolveCredentials(login, { refreshEndpoints: endpoints })).toThrow(field)
    }
  })

  it('accepts https anywhere and http on loopback, where a refresh really goes', async () => {
    const sim = await createKiroSimulator({
      tokens: { accessToken: 'sim-access-0001', refreshToken: 'sim-refresh-0001' },
    })
    try {
      expect(
        () =>
          new KiroClient({ credentials: login, refreshEndpoints: { social: 'https://a.example/{region}' } }),
      ).not.toThrow()
      const client = new KiroClient({
        baseURL: sim.url,
        credentials: { refreshToken: 'sim-refresh-0001', authMethod: 'social' },
        refreshEndpoints: { social: sim.refreshUrls.social },
      })
      const token = await client.credentials.getToken()
      expect(token.accessToken).not.toBe('')
      client.close()
    } finally {
      await sim.close()
    }
  })
})
