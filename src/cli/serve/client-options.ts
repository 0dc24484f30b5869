import type { KiroClientOptions } from '../../client/kiro-client.js'
import type { ServeFlags } from './flags.js'

/**
 * The client options `serve` runs with (docs/claude-code.md): a long Claude Code session loses its
 * old images before it is refused as too long (`--keep-images` turns that off), and retries are for
 * transient faults only, since Claude Code and the SDKs retry throttling themselves, honouring the
 * `retry-after` the server sends them. `--diagnose-400` bisects Kiro's unexplained 400s
 * (docs/protocol.md §10).
 */
export function serveClientOptions(
  flags: Pick<ServeFlags, 'keepImages' | 'trimHistory' | 'maxRetries' | 'timeout' | 'modelMap'> &
    Partial<Pick<ServeFlags, 'diagnose400'>>,
): KiroClientOptions {
  return {
    trimImages: !flags.keepImages,
    trimHistory: flags.trimHistory,
    maxRetries: flags.maxRetries,
    retryScope: 'transient',
    timeout: flags.timeout,
    ...(flags.modelMap === undefined ? {} : { modelMap: flags.modelMap }),
    ...(flags.diagnose400 ? { diagnose400: true } : {}),
  }
}
