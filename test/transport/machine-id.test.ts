import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { defaultMachineIdSeed, machineId } from '../../src/transport/machine-id.js'
import { sha256Hex, sha256Portable } from '../../src/transport/sha256.js'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

describe('machineId', () => {
  it('is 64 lowercase hex, stable per seed, different across seeds', () => {
    const a = machineId('arn:aws:codewhisperer:us-east-1:1:profile/A')
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(machineId('arn:aws:codewhisperer:us-east-1:1:profile/A')).toBe(a)
    expect(machineId('arn:aws:codewhisperer:us-east-1:1:profile/B')).not.toBe(a)
  })

  it('keeps a seed that already is a 64-hex id', () => {
    const given = 'a'.repeat(64)
    expect(machineId(given)).toBe(given)
  })

  it('does not contain its seed', () => {
    expect(machineId('host/user')).not.toContain('host')
  })

  it('has a non-empty default seed', () => {
    expect(defaultMachineIdSeed().length).toBeGreaterThan(0)
  })
})

describe('sha256', () => {
  it('matches node:crypto at the padding edges', () => {
    for (const length of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 1000]) {
      const data = new Uint8Array(length).map((_, i) => (i * 31 + 7) & 0xff)
      expect(hex(sha256Portable(data))).toBe(createHash('sha256').update(data).digest('hex'))
    }
  })

  it('matches node:crypto on arbitrary input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        expect(hex(sha256Portable(data))).toBe(createHash('sha256').update(data).digest('hex'))
      }),
    )
  })

  it('falls back to the portable hash where node:crypto is missing', () => {
    const proc = process as { getBuiltinModule?: unknown }
    const original = proc.getBuiltinModule
    proc.getBuiltinModule = undefined
    try {
      expect(sha256Hex('kiro')).toBe(createHash('sha256').update('kiro').digest('hex'))
    } finally {
      proc.getBuiltinModule = original
    }
  })

  it('hashes text as UTF-8', () => {
    expect(sha256Hex('é😀')).toBe(createHash('sha256').update('é😀', 'utf8').digest('hex'))
  })
})
