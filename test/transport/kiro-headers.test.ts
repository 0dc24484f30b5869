import { describe, expect, it } from 'vitest'
import { DEFAULT_KIRO_VERSION, kiroHeaders } from '../../src/transport/kiro-headers.js'
import { machineId } from '../../src/transport/machine-id.js'

const id = machineId('arn:aws:codewhisperer:us-east-1:123456789012:profile/TEST')
const base = { token: 'tok', attempt: 1, maxAttempts: 4, machineId: id }

describe('kiroHeaders', () => {
  it('builds the docs/protocol.md §1.3 headers for generateAssistantResponse', () => {
    const headers = kiroHeaders({ ...base, invocationId: 'inv-1' })
    expect(headers).toMatchObject({
      authorization: 'Bearer tok',
      'content-type': 'application/json',
      'amz-sdk-invocation-id': 'inv-1',
      'amz-sdk-request': 'attempt=1; max=4',
      'x-amzn-codewhisperer-optout': 'true',
      'x-amzn-kiro-agent-mode': 'vibe',
      'x-amz-user-agent': `aws-sdk-js/1.0.34 KiroIDE-${DEFAULT_KIRO_VERSION}-${id}`,
    })
    expect(headers['user-agent']).toMatch(
      new RegExp(
        `^aws-sdk-js/1\\.0\\.34 ua/2\\.1 os/\\S+#\\S+ lang/js md/nodejs#[\\d.]+ api/codewhispererstreaming#1\\.0\\.34 m/E KiroIDE-${DEFAULT_KIRO_VERSION}-${id}$`,
      ),
    )
    expect(headers['x-amz-target']).toBeUndefined()
    expect(headers.tokentype).toBeUndefined()
  })

  it('marks a ksk_ API key with tokentype', () => {
    expect(kiroHeaders({ ...base, token: 'ksk_abc' }).tokentype).toBe('API_KEY')
    expect(kiroHeaders({ ...base, tokenKind: 'api_key' }).tokentype).toBe('API_KEY')
  })

  it('uses the awsJson binding when asked', () => {
    const headers = kiroHeaders({ ...base, binding: 'aws-json' })
    expect(headers['content-type']).toBe('application/x-amz-json-1.0')
    expect(headers['x-amz-target']).toBe('AmazonCodeWhispererStreamingService.GenerateAssistantResponse')
  })

  it('targets the runtime service for ListAvailableModels', () => {
    const headers = kiroHeaders({ ...base, operation: 'listAvailableModels', binding: 'aws-json' })
    expect(headers['x-amz-target']).toBe('AmazonCodeWhispererService.ListAvailableModels')
    expect(headers['user-agent']).toContain('api/codewhispererruntime#')
    expect(headers['x-amzn-kiro-agent-mode']).toBeUndefined()
  })

  it('makes a fresh UUID v4 invocation id unless one is given', () => {
    const a = kiroHeaders(base)['amz-sdk-invocation-id']
    const b = kiroHeaders(base)['amz-sdk-invocation-id']
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(a).not.toBe(b)
  })

  it('honours the opt-out switch and the attempt numbers', () => {
    const headers = kiroHeaders({ ...base, optOut: false, attempt: 3, maxAttempts: 4 })
    expect(headers['x-amzn-codewhisperer-optout']).toBe('false')
    expect(headers['amz-sdk-request']).toBe('attempt=3; max=4')
  })
})
