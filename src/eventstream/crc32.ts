import { crc32 as crc32Fallback } from '@aws-crypto/crc32'

type Crc32 = (data: Uint8Array) => number

/**
 * CRC-32/ISO-HDLC (the zlib one). `node:zlib`'s native `crc32` is about 20x faster than the JS
 * table; it is looked up at run time, not imported, so the package still loads in runtimes without
 * `node:zlib` (edge workers, browsers), which get the `@aws-crypto/crc32` fallback.
 */
function pickCrc32(): Crc32 {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  const zlib = proc?.getBuiltinModule?.('node:zlib') as { crc32?: (data: Uint8Array) => number } | undefined
  const native = zlib?.crc32
  return typeof native === 'function' ? (data) => native(data) : crc32Fallback
}

/** CRC32 of `data`, unsigned. */
export const crc32: Crc32 = pickCrc32()
