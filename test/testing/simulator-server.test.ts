import { afterEach, describe, expect, it } from 'vitest'
import { createKiroSimulator, type KiroSimulator, type ScriptedTurn } from '../../src/testing/index.js'
import { kiroBody, post, readFrames } from './kiro-fixtures.js'

let sim: KiroSimulator | undefined

afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function start(options: Parameters<typeof createKiroSimulator>[0] = {}): Promise<KiroSimulator> {
  sim = await createKiroSimulator(options)
  return sim
}

const INVALID_TOKEN = { message: 'The bearer token included in the request is invalid.' }
const jsonPost = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('createKiroSimulator: requests, auth and refresh', () => {
  it('listens on loopback and records each request', async () => {
    const s = await start()
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const body = kiroBody('Record me')
    await (await post(s.url, body, { 'x-extra': '1' })).arrayBuffer()
    const [record] = s.requests
    expect(record).toMatchObject({
      seq: 1,
      kind: 'generate',
      method: 'POST',
      path: '/generateAssistantResponse',
    })
    expect(record!.headers['x-extra']).toBe('1')
    expect(record!.json).toEqual(body)
    expect(record!.body).toBe(JSON.stringify(body))
    expect(record!.response.status).toBe(200)
    expect(record!.response.outcome).toBe('complete')
  })

  it('serves queued turns in order, then the script function, which sees the request', async () => {
    const s = await start({ script: [[{ text: 'first' }], [{ text: 'second' }]] })
    const seen: string[] = []
    s.setScript((request) => {
      seen.push(request.path)
      return [{ text: `scripted ${request.seq}` }]
    })
    const texts: unknown[] = []
    for (let i = 0; i < 3; i++) {
      const { frames } = await readFrames(await post(s.url, kiroBody()))
      texts.push(frames[0]!.json)
    }
    expect(texts).toEqual([{ content: 'first' }, { content: 'second' }, { content: 'scripted 3' }])
    expect(seen).toEqual(['/generateAssistantResponse'])
  })

  it('answers a failing script with a 500 that names the failure', async () => {
    const s = await start({
      script: () => {
        throw new Error('boom')
      },
    })
    const response = await post(s.url, kiroBody())
    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({ message: 'Simulator script failed: boom' })
  })

  it('refuses a bearer token that is not the current one with Kiro\u2019s invalid-token 403', async () => {
    const s = await start({ tokens: { accessToken: 'good', refreshToken: 'r0' } })
    const bad = await post(s.url, kiroBody(), { authorization: 'Bearer stale' })
    expect(bad.status).toBe(403)
    expect(await bad.json()).toEqual(INVALID_TOKEN)
    const none = await post(s.url, kiroBody())
    expect(none.status).toBe(403)
    const good = await post(s.url, kiroBody(), { authorization: 'Bearer good' })
    expect(good.status).toBe(200)
    await good.arrayBuffer()
  })

  it('rotates both tokens on a social refresh; the old access token stops working', async () => {
    const s = await start({ tokens: { accessToken: 'a0', refreshToken: 'r0' }, profileArn: 'arn:test' })
    const answer = await jsonPost(s.refreshUrls.social, { refreshToken: 'r0' })
    expect(answer.status).toBe(200)
    const tokens = (await answer.json()) as { accessToken: string; refreshToken: string }
    expect(tokens).toMatchObject({ expiresIn: 3600, profileArn: 'arn:test' })
    expect(tokens.accessToken).toBe(s.tokens?.accessToken)
    expect(tokens.refreshToken).toBe(s.tokens?.refreshToken)
    expect(tokens.accessToken).not.toBe('a0')
    expect((await post(s.url, kiroBody(), { authorization: 'Bearer a0' })).status).toBe(403)
    const ok = await post(s.url, kiroBody(), { authorization: `Bearer ${tokens.accessToken}` })
    expect(ok.status).toBe(200)
    await ok.arrayBuffer()
    expect(s.refreshRequests).toHaveLength(1)
    expect(s.refreshRequests[0]!.kind).toBe('refresh-social')
  })

  it('answers invalid_grant for a wrong refresh token', async () => {
    const s = await start({ tokens: { accessToken: 'a0', refreshToken: 'r0' } })
    const answer = await jsonPost(s.refreshUrls.social, { refreshToken: 'nope' })
    expect(answer.status).toBe(400)
    expect(await answer.json()).toMatchObject({ error: 'invalid_grant' })
    expect(s.tokens?.accessToken).toBe('a0')
  })

  it('checks the IdC refresh: grant type, client and refresh token', async () => {
    const s = await start({
      tokens: { accessToken: 'a0', refreshToken: 'r0', clientId: 'cid', clientSecret: 'csecret' },
    })
    const body = { clientId: 'cid', clientSecret: 'csecret', grantType: 'refresh_token', refreshToken: 'r0' }
    expect((await jsonPost(s.refreshUrls.idc, { ...body, grantType: 'password' })).status).toBe(400)
    expect((await jsonPost(s.refreshUrls.idc, { ...body, clientSecret: 'x' })).status).toBe(401)
    const ok = await jsonPost(s.refreshUrls.idc, body)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 })
    expect(s.refreshRequests.map((r) => r.kind)).toEqual(['refresh-idc', 'refresh-idc', 'refresh-idc'])
  })

  it('revokes the access token until the next refresh, and fails a refresh on demand', async () => {
    const s = await start({ tokens: { accessToken: 'a0', refreshToken: 'r0' } })
    s.revokeAccessToken()
    expect((await post(s.url, kiroBody(), { authorization: 'Bearer a0' })).status).toBe(403)
    s.failNextRefresh({ status: 500, body: { message: 'auth service down' } })
    expect((await jsonPost(s.refreshUrls.social, { refreshToken: 'r0' })).status).toBe(500)
    const ok = await jsonPost(s.refreshUrls.social, { refreshToken: 'r0' })
    expect(ok.status).toBe(200)
    const response = await post(s.url, kiroBody(), { authorization: `Bearer ${s.tokens?.accessToken}` })
    expect(response.status).toBe(200)
    await response.arrayBuffer()
  })

  it('answers 400 "Improperly formed request." to a body Kiro would refuse, keeping the queued turn', async () => {
    const s = await start({ script: [[{ text: 'kept' }]] })
    const malformed = {
      conversationState: {
        chatTriggerType: 'MANUAL',
        history: [{ assistantResponseMessage: { content: 'I speak first' } }],
        currentMessage: {
          userInputMessage: { content: 'hi', modelId: 'claude-sonnet-4.5', origin: 'AI_EDITOR' },
        },
      },
    }
    const refused = await post(s.url, malformed)
    expect(refused.status).toBe(400)
    expect(refused.headers.get('x-amzn-errortype')).toBe('ValidationException')
    expect(await refused.json()).toEqual({ message: 'Improperly formed request.', reason: null })
    expect(s.requests[0]!.shapeIssues.length).toBeGreaterThan(0)
    expect((await post(s.url, 'not json')).status).toBe(400)
    const { frames } = await readFrames(await post(s.url, kiroBody()))
    expect(frames[0]!.json).toEqual({ content: 'kept' })
  })

  it('skips the shape check when asked', async () => {
    const s = await start({ checkShape: false, script: [[{ text: 'anything goes' }]] })
    const response = await post(s.url, { whatever: true })
    expect(response.status).toBe(200)
    await response.arrayBuffer()
  })

  it('speaks the awsJson binding: POST / with x-amz-target', async () => {
    const s = await start({ script: [[{ text: 'via target' }]] })
    const response = await fetch(`${s.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AmazonCodeWhispererStreamingService.GenerateAssistantResponse',
      },
      body: JSON.stringify(kiroBody()),
    })
    const { frames } = await readFrames(response)
    expect(frames[0]!.json).toEqual({ content: 'via target' })
  })

  it('lists models by GET and by x-amz-target, behind the bearer check', async () => {
    const s = await start({ tokens: { accessToken: 'a0', refreshToken: 'r0' } })
    const get = await fetch(`${s.url}/ListAvailableModels?origin=AI_EDITOR`, {
      headers: { authorization: 'Bearer a0' },
    })
    const list = (await get.json()) as { models: { modelId: string }[]; defaultModel: { modelId: string } }
    expect(list.models.map((m) => m.modelId)).toContain('claude-sonnet-4.5')
    expect(list.defaultModel.modelId).toBe(list.models[0]!.modelId)
    const viaTarget = await fetch(`${s.url}/`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer a0',
        'x-amz-target': 'AmazonCodeWhispererService.ListAvailableModels',
      },
      body: '{}',
    })
    expect(await viaTarget.json()).toEqual(list)
    expect((await fetch(`${s.url}/ListAvailableModels`)).status).toBe(403)
  })

  it('answers 404 to an unknown operation', async () => {
    const s = await start()
    const response = await fetch(`${s.url}/nope`, { method: 'POST', body: '{}' })
    expect(response.status).toBe(404)
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException')
  })

  it('serves many concurrent streams', async () => {
    const turn: ScriptedTurn = [
      { text: Array.from({ length: 50 }, (_, i) => `chunk ${i} `) },
      { contextUsage: 1 },
    ]
    const s = await start()
    s.setScript(() => turn)
    const results = await Promise.all(
      Array.from({ length: 100 }, async () => readFrames(await post(s.url, kiroBody()))),
    )
    expect(results.every((r) => r.error === undefined && r.frames.length === 51)).toBe(true)
    expect(s.generateRequests.every((r) => r.response.frameTimes.length === 51)).toBe(true)
  })

  it('close() ends stalled streams too', async () => {
    const s = await start({ script: [[{ text: 'x' }, { stall: true }]] })
    const response = await post(s.url, kiroBody())
    const reading = readFrames(response)
    await expect.poll(() => s.requests[0]?.response.outcome).toBe('stalled')
    await s.close()
    sim = undefined
    const { frames, error } = await reading
    expect(frames).toHaveLength(1)
    expect(error).toBeDefined()
  })
})
