import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { type AddressInfo, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UsageError } from '../../src/cli/args.js'
import { openRedis } from '../../src/cli/serve/redis.js'
import { connectClient } from '../helpers/redis-clients.js'
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js'
import { envWithHome, runCli, spawnCli, spawnTimeout, waitForOutput } from './spawn-cli.js'

let redis: RedisServer
let home: string
beforeAll(async () => {
  redis = await startRedisServer()
  home = await mkdtemp(join(tmpdir(), 'kiro-serve-redis-'))
})
afterAll(async () => {
  await redis?.close()
  await rm(home, { recursive: true, force: true })
})

describe('kiro-client serve --redis', () => {
  let child: ChildProcess | undefined
  afterAll(async () => {
    if (child !== undefined && child.exitCode === null) {
      child.kill('SIGTERM')
      await once(child, 'close')
    }
  })

  it('keeps the login in Redis (KIRO_REDIS_URL) and serves requests', {
    timeout: spawnTimeout(),
  }, async () => {
    child = spawnCli(
      ['serve', '--simulate', '--port', '0', '--redis-prefix', 'cli-test:'],
      envWithHome(home, { KIRO_REDIS_URL: redis.url }),
    )
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    const url = (await waitForOutput(child, /listening on (http:\/\/\S+)/))[1]!
    const anthropic = new Anthropic({ baseURL: url, apiKey: 'unused', maxRetries: 0 })
    const message = await anthropic.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello shared state' }],
    })
    expect(message.content[0]).toMatchObject({ type: 'text' })
    expect(stderr).toMatch(/shared state in Redis client=ioredis/)
    const admin = await connectClient('ioredis', redis.url)
    try {
      expect(await admin.command(['HEXISTS', 'cli-test:token:default', 'data'])).toBe(1)
    } finally {
      await admin.close()
    }
  })

  it('says when Redis cannot be reached, without printing its password', {
    timeout: spawnTimeout(),
  }, async () => {
    const dead = `redis://:hunter2-secret@127.0.0.1:${await closedPort()}`
    const result = await runCli(['serve', '--simulate', '--port', '0', '--redis', dead], envWithHome(home))
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--redis: cannot connect to redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/)
    expect(result.stderr + result.stdout).not.toContain('hunter2-secret')
  })

  it('refuses an encryption key that is not 32 bytes of base64', { timeout: spawnTimeout() }, async () => {
    const result = await runCli(
      ['serve', '--simulate', '--port', '0', '--redis', redis.url],
      envWithHome(home, { KIRO_REDIS_KEY: Buffer.alloc(16).toString('base64') }),
    )
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--redis-key: expected 32 bytes in base64, got 16 bytes/)
  })
})

/** A port nothing listens on: one just released by a server that bound it. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return port
}

describe('openRedis', () => {
  it('names both packages when neither is installed', async () => {
    const error = await openRedis(
      { url: redis.url, prefix: 'x:', encryptionKey: undefined, onWarning: () => {} },
      async () => {
        throw Object.assign(new Error('Cannot find package'), { code: 'ERR_MODULE_NOT_FOUND' })
      },
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UsageError)
    expect((error as Error).message).toMatch(
      /neither the ioredis nor the redis package is installed.*npm install ioredis/,
    )
  })

  it('uses node-redis when ioredis is missing', async () => {
    const opened = await openRedis(
      { url: redis.url, prefix: 'x:', encryptionKey: undefined, onWarning: () => {} },
      (name) => (name === 'redis' ? import('redis') : Promise.reject(new Error('not installed'))),
    )
    try {
      expect(opened.library).toBe('redis')
      expect(opened.state.library).toBe('node-redis')
      expect((await opened.state.snapshot(['a'])).statuses.size).toBe(0)
    } finally {
      await opened.close()
    }
  })

  it('refuses a URL that is not redis://', async () => {
    await expect(
      openRedis({
        url: 'http://127.0.0.1:6379',
        prefix: 'x:',
        encryptionKey: undefined,
        onWarning: () => {},
      }),
    ).rejects.toThrow(/expected a redis:\/\/ or rediss:\/\/ URL/)
  })
})
