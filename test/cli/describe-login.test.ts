import { describe, expect, it } from 'vitest'
import { loginLines, relativeTime } from '../../src/cli/describe-login.js'

const now = Date.parse('2026-11-26T12:00:00Z')

describe('relativeTime', () => {
  it('says minutes under an hour and a half, hours beyond, ahead or ago', () => {
    expect(relativeTime(now + 42 * 60_000, now)).toBe('in 42 min')
    expect(relativeTime(now - 3 * 3_600_000, now)).toBe('3 h ago')
  })
})

describe('loginLines', () => {
  it('lists source, path, method, region, profile, expiry and refresh', () => {
    const lines = loginLines(
      {
        source: 'token-file',
        path: '/home/u/.aws/sso/cache/kiro-auth-token.json',
        authMethod: 'social',
        region: 'us-east-1',
        profileArn: 'arn:aws:codewhisperer:us-east-1:123456789012:profile/ABC',
        expiresAt: now + 30 * 60_000,
        canRefresh: true,
      },
      now,
    )
    expect(lines).toEqual([
      ['source', 'token-file (/home/u/.aws/sso/cache/kiro-auth-token.json)'],
      ['auth method', 'social'],
      ['region', 'us-east-1'],
      ['profile', 'arn:aws:codewhisperer:us-east-1:123456789012:profile/ABC'],
      ['token', 'expires 2026-11-26T12:30:00.000Z (in 30 min)'],
      ['refresh', 'automatic'],
    ])
  })

  it('says when the token already expired, and that an API key does not', () => {
    expect(loginLines({ source: 'static', expiresAt: now - 60_000 }, now)).toContainEqual([
      'token',
      'expired 2026-11-26T11:59:00.000Z (1 min ago)',
    ])
    expect(loginLines({ source: 'api-key', authMethod: 'api_key' }, now)).toContainEqual([
      'token',
      'an API key (does not expire)',
    ])
  })
})
