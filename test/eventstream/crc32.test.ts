import { readdirSync, readFileSync } from 'node:fs'
import { crc32 as zlibCrc32 } from 'node:zlib'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { crc32, crc32Range } from '../../src/eventstream/crc32.js'
import { encode, withHeaders } from './message.js'

const ascii = new TextEncoder().encode('123456789')
const random = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24)

describe('crc32', () => {
  it('is CRC-32/ISO-HDLC: check value 0xCBF43926', () => {
    expect(crc32(ascii)).toBe(0xcbf43926)
    expect(crc32Range(ascii, 0, ascii.length)).toBe(0xcbf43926)
  })

  it('crc32Range agrees with zlib on every range of every length up to 100 bytes, and on long ones', () => {
    for (let start = 0; start < 9; start++) {
      for (let end = start; end < start + 100; end++) {
        expect(crc32Range(random, start, end)).toBe(zlibCrc32(random.subarray(start, end)))
      }
    }
    expect(crc32Range(random, 3, 4096)).toBe(zlibCrc32(random.subarray(3)))
  })

  it('crc32Range continues from the CRC of the bytes before the range', () => {
    for (const split of [0, 1, 8, 13, 100]) {
      const before = zlibCrc32(random.subarray(0, split))
      expect(crc32Range(random, split, 300, before)).toBe(zlibCrc32(random.subarray(0, 300)))
    }
  })
})

describe('the node:zlib lookup', () => {
  const original = process.getBuiltinModule

  it('happens on the first call, not at import, and then uses zlib', async () => {
    const asked: string[] = []
    process.getBuiltinModule = ((id: string) => {
      asked.push(id)
      return original(id)
    }) as typeof original
    vi.resetModules()
    const fresh = await import('../../src/eventstream/crc32.js')
    expect(asked).toEqual([])
    expect(fresh.crc32(random)).toBe(zlibCrc32(random))
    expect(fresh.crc32(ascii)).toBe(0xcbf43926)
    expect(asked).toEqual(['node:zlib'])
  })

  afterEach(() => {
    process.getBuiltinModule = original
    vi.resetModules()
  })

  it('falls back to the JS table, and the decoder still checks large messages', async () => {
    ;(process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined
    vi.resetModules()
    const fresh = await import('../../src/eventstream/crc32.js')
    expect(fresh.crc32(random)).toBe(zlibCrc32(random))

    const { EventStreamDecoder } = await import('../../src/eventstream/decoder.js')
    const message = withHeaders({}, 'z'.repeat(5000))
    const bytes = encode(message)
    expect(new EventStreamDecoder().push(bytes)).toEqual([message])
    bytes[2000]! ^= 1
    expect(() => new EventStreamDecoder().push(bytes)).toThrow(/message CRC mismatch/)
  })

  it('no module of the codec imports a node: built-in statically', () => {
    const folder = new URL('../../src/eventstream/', import.meta.url)
    const files = readdirSync(folder).filter((name) => name.endsWith('.ts'))
    expect(files.length).toBeGreaterThan(3)
    for (const name of files) {
      expect(readFileSync(new URL(name, folder), 'utf8'), name).not.toMatch(/from ['"]node:|require\(/)
    }
  })
})
