import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { postRefresh, refreshFailure } from '../../src/auth/refresh/http.js'
import { CredentialsError } from '../../src/errors/credentials-error.js'
import { type RefreshServer, startRefreshServer } from './helpers/refresh-server.js'

let server: RefreshServer
beforeEach(async () => {
  server = await startRefreshServer()
})
afterEach(() => server.close())

const post = (path = '/refresh') =>
  postRefresh(
    {
      url: `${server.origin}${path}`,
      headers: { 'content-type': 'application/json' },
      body: { refreshToken: 'rt' },
    },
    { fetch: globalThis.fetch, timeoutMs: 5_000, secrets: ['rt'] },
  )

describe('refreshFailure', () => {
  const classify = (status: number, body: string) => refreshFailure(status, body, 'auth.example', [])

  it.each([
    [400, '{"error":"invalid_grant","error_description":"Invalid refresh token provided"}'],
    [400, '{"__type":"com.amazonaws.ssooidc#InvalidGrantException","message":"bad"}'],
    [400, '{"error":"invalid_client"}'],
    [401, '{"message":"Invalid refresh token"}'],
    [400, 'invalid_grant'],
  ])('HTTP %i %s means the refresh token is dead', (status, body) => {
    const error = classify(status, body)
    expect(error).toBeInstanceOf(CredentialsError)
    expect(error.code).toBe('refresh_token_invalid')
    expect(error.status).toBe(status)
    expect(error.message).toMatch(/sign in to Kiro again/i)
  })

  it.each([
    [401, '{"message":"Unauthorized"}'],
    [403, ''],
    [429, '{"message":"Too many requests"}'],
    [500, '{"error":"invalid_grant"}'],
    [503, '<html>down</html>'],
  ])('HTTP %i %s is a transient refresh failure', (status, body) => {
    const error = classify(status, body)
    expect(error.code).toBe('refresh_failed')
    expect(error.status).toBe(status)
  })

  it('quotes what the server said, bounded', () => {
    const error = classify(500, JSON.stringify({ message: `x${'y'.repeat(2000)}` }))
    expect(error.message.length).toBeLessThan(500)
  })
})

describe('postRefresh', () => {
  it('returns the answer object', async () => {
    expect(await post()).toEqual({ accessToken: 'fresh-access', expiresIn: 3600 })
  })

  it('does not follow a redirect (it would carry the refresh token elsewhere)', async () => {
    server.handle((request) =>
      request.path === '/refresh'
        ? { status: 307, text: '', headers: { location: `${server.origin}/elsewhere` } }
        : { json: { accessToken: 'stolen' } },
    )
    await expect(post()).rejects.toMatchObject({ code: 'refresh_failed' })
    expect(server.requests.map((r) => r.path)).toEqual(['/refresh'])
  })

  it('refuses an oversized answer', async () => {
    server.handle(() => ({ text: JSON.stringify({ accessToken: 'a', pad: 'x'.repeat(200_000) }) }))
    await expect(post()).rejects.toMatchObject({
      code: 'refresh_failed',
      message: expect.stringMatching(/more than/),
    })
  })

  it.each([
    ['not JSON', { text: 'hello' }],
    ['a JSON array', { json: [1, 2] }],
    ['JSON null', { text: 'null' }],
  ])('refuses an answer that is %s', async (_, reply) => {
    server.handle(() => reply)
    await expect(post()).rejects.toMatchObject({ code: 'refresh_failed' })
  })

  it('reports an unreachable endpoint as refresh_failed', async () => {
    const origin = server.origin
    await server.close()
    const error = await postRefresh(
      { url: `${origin}/refresh`, headers: {}, body: {} },
      { fetch: globalThis.fetch, timeoutMs: 5_000, secrets: [] },
    ).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'refresh_failed',
      message: expect.stringContaining('Could not reach'),
    })
    server = await startRefreshServer()
  })
})
