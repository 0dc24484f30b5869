import { describe, expect, it } from 'vitest'
import type { EndHookEvent } from '../../src/client/hooks.js'
import { createClientKeys, hashClientKey, parseClientKeys } from '../../src/server/client-keys.js'
import { createAnthropicHandler } from '../../src/server/handler.js'
import { accountOf, httpError, params, setupPool } from '../accounts/helpers.js'

const ADMIN_KEY = 'admin-key-for-tests-123'

async function server(options: { clientKeys?: Record<string, unknown>; apiKey?: string } = {}) {
  const ends: EndHookEvent[] = []
  const { client, served, sim } = await setupPool(
    ['alice', 'bob'],
    { bob: () => httpError(403, { message: 'suspended', reason: 'TEMPORARILY_SUSPENDED' }) },
    { accountSelection: 'round-robin', hooks: { onEnd: (event) => ends.push(event) } },
  )
  const handler = createAnthropicHandler(client, {
    adminKey: ADMIN_KEY,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.clientKeys ? { clientKeys: createClientKeys(parseClientKeys(options.clientKeys)) } : {}),
  })
  const call = (path: string, init: RequestInit & { key?: string } = {}) => {
    const headers = new Headers(init.headers)
    if (init.key !== undefined) headers.set('x-api-key', init.key)
    return handler(new Request(`http://127.0.0.1${path}`, { ...init, headers }))
  }
  const message = (key?: string) =>
    call('/v1/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
      ...(key === undefined ? {} : { key }),
    })
  return { client, served, sim, call, message, ends }
}

describe('/admin/accounts', () => {
  it('lists the accounts without secrets, and only with the admin key', async () => {
    const { call, message } = await server()
    expect((await call('/admin/accounts')).status).toBe(401)
    expect((await call('/admin/accounts', { key: 'wrong' })).status).toBe(401)
    await message()
    const response = await call('/admin/accounts', { key: ADMIN_KEY })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const text = await response.text()
    expect(text).not.toContain('secret-access')
    const body = JSON.parse(text) as { accounts: Array<{ id: string; state: string }> }
    expect(body.accounts.map((account) => [account.id, account.state])).toEqual([
      ['alice', 'ready'],
      ['bob', 'ready'],
    ])
  })

  it('enables and disables accounts; enable also lifts a suspension', async () => {
    const { call, message, served } = await server()
    await message() // alice
    await message() // bob: suspended, then alice serves it
    let list = (await (await call('/admin/accounts', { key: ADMIN_KEY })).json()) as {
      accounts: Array<{ state: string }>
    }
    expect(list.accounts[1]?.state).toBe('suspended')
    const disabled = await call('/admin/accounts/alice/disable', { method: 'POST', key: ADMIN_KEY })
    expect(disabled.status).toBe(200)
    expect(((await disabled.json()) as { account: { state: string } }).account.state).toBe('disabled')
    // No account left: 403 to the client.
    expect((await message()).status).toBe(403)
    const enabled = await call('/admin/accounts/bob/enable', { method: 'POST', key: ADMIN_KEY })
    expect(((await enabled.json()) as { account: { state: string } }).account.state).toBe('ready')
    list = (await (await call('/admin/accounts', { key: ADMIN_KEY })).json()) as typeof list
    expect(list.accounts.map((account) => account.state)).toEqual(['disabled', 'ready'])
    expect(served()).toEqual(['alice', 'bob', 'alice'])
  })

  it('answers 404 for an unknown account and 405 for a wrong method', async () => {
    const { call } = await server()
    expect((await call('/admin/accounts/nobody/enable', { method: 'POST', key: ADMIN_KEY })).status).toBe(404)
    expect((await call('/admin/accounts/alice/enable', { key: ADMIN_KEY })).status).toBe(405)
    expect((await call('/admin/accounts', { method: 'POST', key: ADMIN_KEY })).status).toBe(405)
  })

  it('is not served without an admin key', async () => {
    const { client } = await setupPool(['alice'])
    const handler = createAnthropicHandler(client)
    const response = await handler(new Request('http://127.0.0.1/admin/accounts'))
    expect(response.status).toBe(404)
  })
})

describe('client keys', () => {
  it('lets members in by their key, names them to the hooks, and pins them to accounts', async () => {
    const aliceKey = 'kc-alice-0123456789abcdef'
    const bobKey = 'kc-bob-0123456789abcdef'
    const { message, ends, sim } = await server({
      clientKeys: {
        carol: `sha256:${await hashClientKey(aliceKey)}`,
        dave: { sha256: await hashClientKey(bobKey), accounts: ['alice'] },
      },
    })
    expect((await message()).status).toBe(401)
    expect((await message('not-a-member')).status).toBe(401)
    expect((await message(aliceKey)).status).toBe(200)
    // Dave is pinned to alice: round-robin would have picked bob next.
    expect((await message(bobKey)).status).toBe(200)
    expect(ends.map((event) => [event.member, event.account])).toEqual([
      ['carol', 'alice'],
      ['dave', 'alice'],
    ])
    expect(sim.generateRequests.map(accountOf)).toEqual(['alice', 'alice'])
  })

  it('still lets the holder of the server key in, unnamed', async () => {
    const { message, ends } = await server({
      apiKey: 'server-key-123',
      clientKeys: { carol: { sha256: await hashClientKey('kc-carol-key') } },
    })
    expect((await message('server-key-123')).status).toBe(200)
    expect(ends[0]?.member).toBeUndefined()
  })

  it('refuses a file that holds plain keys, naming the entry', () => {
    expect(() => parseClientKeys({ carol: 'kc-plain-key' })).toThrow(/clientKeys\.carol\.sha256/)
    expect(() => parseClientKeys({ 'bad name': `sha256:${'0'.repeat(64)}` })).toThrow(/clientKeys\.bad name/)
    expect(() => parseClientKeys([])).toThrow(/clientKeys/)
    expect(() => parseClientKeys({ a: `sha256:${'1'.repeat(64)}`, b: { sha256: '1'.repeat(64) } })).toThrow(
      /two members/,
    )
  })
})
