import * as root from 'kiro-client'
import * as eventstream from 'kiro-client/eventstream'
import * as kiro from 'kiro-client/kiro'
import * as testing from 'kiro-client/testing'
import { describe, expect, it } from 'vitest'

// The public surface (CHANGELOG.md lists what moved where). `kiro-client` resolves to src/ here
// (vitest.config.ts); scripts/smoke.mjs checks the same on the built package.

const MOVED_TO_EVENTSTREAM = [
  'EventStreamDecoder',
  'decodeEventStream',
  'decodeEventStreamBatches',
  'encodeEventStreamMessage',
]
const MOVED_TO_KIRO = [
  'toKiroRequest',
  'checkKiroRequest',
  'KIRO_MODELS',
  'toKiroModelId',
  'contextWindowFor',
  'estimateInputTokens',
  'KiroEventMapper',
  'accumulateMessage',
  'MessageAccumulator',
  'DEFAULT_TOKEN_FILE',
  'ENV_VARIABLES',
  'SOCIAL_REFRESH_ENDPOINT',
  'IDC_REFRESH_ENDPOINT',
]

describe('the root entry', () => {
  it('holds at most 40 runtime values', () => {
    expect(Object.keys(root).length).toBeLessThanOrEqual(40)
  })

  it('has the client, the stream, the errors, the server adapters and the credentials', () => {
    for (const name of [
      'KiroClient',
      'MessageStream',
      'KiroError',
      'APIError',
      'RateLimitError',
      'ConfigurationError',
      'CredentialsError',
      'EventStreamError',
      'createAnthropicHandler',
      'createNodeHandler',
      'createAnthropicFetch',
      'toSSEStream',
      'resolveCredentials',
      'RefreshingCredentials',
      'FileTokenStore',
      'MemoryTokenStore',
    ]) {
      expect(typeof (root as Record<string, unknown>)[name], name).toBe('function')
    }
  })

  it('no longer has the building blocks, which the subpaths export', () => {
    for (const name of [...MOVED_TO_EVENTSTREAM, ...MOVED_TO_KIRO]) {
      expect(Object.keys(root), name).not.toContain(name)
    }
    for (const name of MOVED_TO_EVENTSTREAM) expect(Object.keys(eventstream), name).toContain(name)
    for (const name of MOVED_TO_KIRO) expect(Object.keys(kiro), name).toContain(name)
  })
})

describe('the subpaths', () => {
  it('share classes with the root entry, so instanceof holds across entries', () => {
    expect(eventstream.EventStreamError).toBe(root.EventStreamError)
    const decoder = new eventstream.EventStreamDecoder()
    let thrown: unknown
    try {
      decoder.push(new Uint8Array(16))
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(root.EventStreamError)
    expect(thrown).toBeInstanceOf(root.KiroError)
  })

  it('kiro-client/testing still has the simulators', () => {
    expect(typeof testing.createKiroSimulator).toBe('function')
    expect(typeof testing.createKiroFetchSimulator).toBe('function')
  })
})
