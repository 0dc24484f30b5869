import { serveClientOptions } from '../../src/cli/serve/client-options.js'
import type { KiroClientOptions } from '../../src/client/kiro-client.js'
import type { AnthropicHandlerOptions } from '../../src/server/options.js'
import { proxy } from '../server/proxy-harness.js'

/**
 * The stack `kiro-client serve` runs, over real sockets on 127.0.0.1: the node:http handler with
 * serve's handler options, a KiroClient with serve's client options (as its default flags set
 * them), and a loopback Kiro simulator speaking the binary protocol. Closed after each test.
 */
export async function serveStack(
  handlerOptions: AnthropicHandlerOptions = {},
  clientOptions: KiroClientOptions = {},
) {
  const defaults = serveClientOptions({
    keepImages: false,
    trimHistory: false,
    maxRetries: 3,
    timeout: 60_000,
    modelMap: undefined,
  })
  return proxy({ retryScope: 'transient', ...handlerOptions }, { ...defaults, ...clientOptions })
}
