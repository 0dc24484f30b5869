// Stands in for the `kiro-client` package, so the examples run from source. In your project:
//   import { KiroClient, createAnthropicHandler, ... } from 'kiro-client'
export { KiroClient } from '../src/client/kiro-client.js'
export { createAnthropicFetch } from '../src/server/anthropic-fetch.js'
export { createAnthropicHandler } from '../src/server/handler.js'
export { createNodeHandler } from '../src/server/node.js'
export type { MessageParam, Tool, ToolResultBlockParam } from '../src/types/anthropic-request.js'
