import type { ChildProcess } from 'node:child_process'
import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { request as httpsRequest } from 'node:https'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MESSAGE_BODY, rawRequest } from '../security/raw-http.js'
import { envWithHome, runCli, spawnCli, spawnTimeout, waitForOutput } from './spawn-cli.js'

const JSON_HEADERS = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }
const KEY = 'serve-key-from-a-file-0123456789'

let dir: string
const children: ChildProcess[] = []
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiro-serve-'))
})
afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await once(child, 'close')
    }
  }
  await rm(dir, { recursive: true, force: true })
}, 30_000)

async function start(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawnCli(
    ['serve', '--simulate', '--port', '0', '--shutdown-timeout', '1000', ...args],
    envWithHome(dir, env),
  )
  children.push(child)
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const url = (await waitForOutput(child, /listening on (https?:\/\/\S+)/))[1]!
  return { child, url, stderr: () => stderr }
}

describe('kiro-client serve on loopback, as a web page or a careless client would try it', () => {
  let url: string
  let port: string
  beforeAll(async () => {
    const keyFile = join(dir, 'api-key')
    await writeFile(keyFile, `${KEY}\n`, { mode: 0o600 })
    const started = await start([
      '--api-key-file',
      keyFile,
      '--allowed-host',
      'proxy.example.com',
      '--allowed-origin',
      'https://app.example.com',
      '--max-request-bytes',
      '4096',
      '--request-timeout',
      '1500',
      '--headers-timeout',
      '1000',
      '--keep-alive-timeout',
      '1000',
    ])
    url = started.url
    port = new URL(url).port
  }, spawnTimeout())

  const post = (headers: Record<string, string>, body = MESSAGE_BODY) =>
    rawRequest(`${url}/v1/messages`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'x-api-key': KEY, ...headers },
      body,
    })

  it('reads its key from --api-key-file: without it 401, with it 200', async () => {
    const without = await rawRequest(`${url}/v1/messages`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: MESSAGE_BODY,
    })
    expect(without.status).toBe(401)
    expect((await post({})).status).toBe(200)
  })

  it('answers only its own Host names: DNS rebinding gets 421', async () => {
    expect((await post({ host: `attacker.example:${port}` })).status).toBe(421)
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'proxy.example.com']) {
      expect((await post({ host })).status).toBe(200)
    }
  })

  it('refuses web pages by default (403), but the --allowed-origin one; no Origin passes', async () => {
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403)
    expect((await post({ origin: 'null' })).status).toBe(403)
    expect((await post({ origin: 'https://app.example.com' })).status).toBe(200)
  })

  it('refuses a form post (415) and a body over --max-request-bytes (413)', async () => {
    expect((await post({ 'content-type': 'text/plain' })).status).toBe(415)
    const big = JSON.stringify({ ...JSON.parse(MESSAGE_BODY), system: 'x'.repeat(5000) })
    expect((await post({}, big)).status).toBe(413)
  })

  it('drops a client that sends its body too slowly (--request-timeout)', async () => {
    const socket = connect(Number(port), '127.0.0.1')
    let answer = ''
    socket.setEncoding('latin1').on('data', (chunk: string) => {
      answer += chunk
    })
    socket.write(
      `POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\n` +
        `x-api-key: ${KEY}\r\ncontent-length: 1000\r\n\r\n{"model":`,
    )
    // The rest of the body never comes: the server must end the connection by itself.
    await once(socket, 'close')
    expect(answer.startsWith('HTTP/1.1 408')).toBe(true)
  })

  it('drops a client that never finishes its headers (--headers-timeout), unanswered by the routes', async () => {
    const socket = connect(Number(port), '127.0.0.1')
    let answer = ''
    socket.setEncoding('latin1').on('data', (chunk: string) => {
      answer += chunk
    })
    // Slowloris: a request line and one header, then nothing; the blank line never comes.
    socket.write(`POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n`)
    await once(socket, 'close')
    expect(answer.startsWith('HTTP/1.1 408')).toBe(true)
    expect(answer).not.toContain('request-id')
  })

  it('closes an idle keep-alive connection after --keep-alive-timeout', async () => {
    const socket = connect(Number(port), '127.0.0.1')
    let answer = ''
    socket.setEncoding('latin1').on('data', (chunk: string) => {
      answer += chunk
    })
    socket.write(`GET /api/hello HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: keep-alive\r\n\r\n`)
    // The answer comes and the connection stays open for another request, until it has been idle
    // for the keep-alive timeout: then the server closes it, and nothing else arrives.
    await once(socket, 'close')
    expect(answer.match(/^HTTP\/1\.1 /gm)).toHaveLength(1)
    expect(answer).toMatch(/^HTTP\/1\.1 200/)
    expect(answer.toLowerCase()).toContain('keep-alive: timeout=1')
  })
})

describe('kiro-client serve: /metrics behind the same Host and Origin checks', () => {
  it('a page that rebinds its name to the metrics port cannot read it; probes need no Host', {
    timeout: spawnTimeout(),
  }, async () => {
    const { child } = await start(['--metrics-port', '0'])
    const metricsUrl = (await waitForOutput(child, /metrics on (http:\/\/\S+)\/metrics/))[1]!
    const get = (path: string, headers: Record<string, string>) =>
      rawRequest(`${metricsUrl}${path}`, { headers })
    const rebound = await get('/metrics', { host: 'attacker.example' })
    expect(rebound.status).toBe(421)
    expect(rebound.body).not.toContain('kiro_')
    expect(
      (await get('/metrics', { host: new URL(metricsUrl).host, origin: 'https://evil.example' })).status,
    ).toBe(403)
    const own = await get('/metrics', { host: new URL(metricsUrl).host })
    expect(own.status).toBe(200)
    expect(own.body).toContain('kiro_http_requests_total')
    expect((await get('/health', { host: 'probe.internal' })).status).toBe(200)
    expect((await get('/ready', { host: 'probe.internal' })).status).toBe(200)
  })
})

describe('kiro-client serve: secrets off the command line', () => {
  it('takes the API key and the admin key from the environment, with no note about ps', {
    timeout: spawnTimeout(),
  }, async () => {
    const apiKey = 'api-key-from-the-env-0123456789'
    const adminKey = 'admin-key-from-the-env-0123456789'
    const { url, stderr } = await start(['--metrics'], {
      KIRO_SERVE_API_KEY: apiKey,
      KIRO_SERVE_ADMIN_KEY: adminKey,
    })
    const get = (path: string, key?: string) =>
      rawRequest(`${url}${path}`, { headers: key === undefined ? {} : { 'x-api-key': key } })
    expect((await get('/v1/models')).status).toBe(401)
    expect((await get('/v1/models', apiKey)).status).toBe(200)
    expect((await get('/metrics')).status).toBe(401)
    expect((await get('/metrics', apiKey)).status).toBe(401)
    const metrics = await get('/metrics', adminKey)
    expect(metrics.status).toBe(200)
    expect(metrics.body).toContain('kiro_http_requests_total')
    expect(stderr()).not.toContain('note:')
    for (const secret of [apiKey, adminKey]) expect(stderr() + metrics.body).not.toContain(secret)
  })

  it('serve --help recommends the file and environment forms of both keys', {
    timeout: spawnTimeout(),
  }, async () => {
    const help = (await runCli(['serve', '--help'], envWithHome(dir))).stdout
    expect(help).toMatch(/--api-key-file PATH +.*\(or set KIRO_SERVE_API_KEY\)/)
    expect(help).toMatch(/--admin-key-file PATH +.*\(or set KIRO_SERVE_ADMIN_KEY\)/)
    expect(help).toMatch(/--api-key VALUE +.*visible to other users in `ps`/)
    expect(help).toMatch(/--admin-key VALUE +.*visible to other users in `ps`/)
  })
})

describe('kiro-client serve: exposure beyond this machine', () => {
  it('refuses a non-loopback --host without an API key, in one line, exit 2, and never listens', {
    timeout: spawnTimeout(),
  }, async () => {
    const result = await runCli(['serve', '--simulate', '--host', '0.0.0.0', '--port', '0'], envWithHome(dir))
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--host 0.0.0.0 is reachable from other machines')
    expect(result.stderr).toContain('--insecure-no-auth')
    expect(result.stdout).not.toContain('listening on')
  })

  it('with --insecure-no-auth it starts, and says what that means; plain HTTP off loopback is warned about', {
    timeout: spawnTimeout(),
  }, async () => {
    const { url, stderr } = await start(['--host', '0.0.0.0', '--insecure-no-auth'])
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/)
    expect(stderr()).toContain('warning: --insecure-no-auth')
    expect(stderr()).toContain('warning: plain HTTP on 0.0.0.0')
  })

  it('serves HTTPS with --tls-cert/--tls-key; a key on the command line gets a note about ps', {
    timeout: spawnTimeout(),
  }, async () => {
    const cert = join(dir, 'cert.pem')
    const key = join(dir, 'key.pem')
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ])
    await chmod(key, 0o600)
    const { url, stderr } = await start([
      '--tls-cert',
      cert,
      '--tls-key',
      key,
      '--api-key',
      'cli-visible-key-01',
    ])
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(stderr()).toContain('note: --api-key on the command line is visible to every user')
    const ca = await readFile(cert)
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = httpsRequest(
        `${url}/v1/models`,
        { ca, headers: { 'x-api-key': 'cli-visible-key-01' } },
        (answer) => {
          answer.resume()
          resolve(answer.statusCode ?? 0)
        },
      )
      outgoing.on('error', reject)
      outgoing.end()
    })
    expect(status).toBe(200)
  })

  it('refuses connections past --max-connections', { timeout: spawnTimeout() }, async () => {
    const { url } = await start(['--max-connections', '2'])
    const port = Number(new URL(url).port)
    const open = [connect(port, '127.0.0.1'), connect(port, '127.0.0.1')]
    for (const socket of open) socket.on('error', () => {})
    await Promise.all(open.map((socket) => once(socket, 'connect')))
    const third = connect(port, '127.0.0.1')
    let received = ''
    third.setEncoding('latin1').on('data', (chunk: string) => {
      received += chunk
    })
    third.on('error', () => {})
    third.write(`GET /api/hello HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`)
    // Refused: closed or reset by the server, never answered (events.once would reject on the reset).
    await new Promise((resolve) => third.once('close', resolve))
    expect(received).toBe('')
    for (const socket of open) socket.destroy()
  })
})
