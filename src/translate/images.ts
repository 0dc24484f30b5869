import { type Fields, invalid, isObject } from './invalid.js'
import type { ImageBlock, ImageFormat } from './kiro-types.js'

const FORMATS: Readonly<Record<string, ImageFormat>> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** True for canonical (padded, standard alphabet) base64, which is what Kiro's blob fields take. */
export function isBase64(data: string): boolean {
  return data.length > 0 && data.length % 4 === 0 && BASE64.test(data)
}

/**
 * An Anthropic image block as a Kiro `ImageBlock` (docs/protocol.md §3.6): base64 only, format from
 * `media_type`, a `data:` URL prefix stripped. URL and file sources, other media types and invalid
 * base64 are rejected: Kiro takes inline bytes only and would drop or refuse anything else.
 */
export function toKiroImage(block: Fields, path: string): ImageBlock {
  const source = block.source
  if (source === undefined) throw invalid(`${path}.source`, 'Field required')
  if (!isObject(source)) throw invalid(`${path}.source`, 'Input should be a valid dictionary')
  const type = source.type
  if (type === 'url' || type === 'file') {
    throw invalid(
      `${path}.source.type`,
      `${type === 'url' ? 'URL' : 'File'} image sources are not supported by Kiro; send the image as base64`,
    )
  }
  if (type !== 'base64') throw invalid(`${path}.source.type`, "Input should be 'base64', 'url' or 'file'")
  const mediaType = source.media_type
  const format = typeof mediaType === 'string' ? FORMATS[mediaType] : undefined
  if (format === undefined) {
    throw invalid(
      `${path}.source.media_type`,
      "Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
    )
  }
  const raw = source.data
  if (typeof raw !== 'string') throw invalid(`${path}.source.data`, 'Field required')
  const data = raw.startsWith('data:') ? raw.slice(raw.indexOf(',') + 1) : raw
  if (!isBase64(data)) throw invalid(`${path}.source.data`, 'Invalid base64 data')
  return { format, source: { bytes: data } }
}
