import type { MessageDeltaUsage, Usage } from '../types/anthropic-response.js'
import type { KiroPayload } from './kiro-frames.js'

interface TokenUsage {
  uncachedInputTokens?: unknown
  outputTokens?: unknown
  cacheReadInputTokens?: unknown
  cacheWriteInputTokens?: unknown
  contextUsagePercentage?: unknown
}

/**
 * Collects what Kiro says about usage during a response and turns it into Anthropic usage
 * (docs/protocol.md §4.5), in this order of preference:
 *
 * 1. `metadataEvent.tokenUsage`: real counts. `input_tokens` = `uncachedInputTokens` (Anthropic's
 *    `input_tokens` excludes cached input), `cache_read_input_tokens` = `cacheReadInputTokens`,
 *    `cache_creation_input_tokens` = `cacheWriteInputTokens`, `output_tokens` = `outputTokens`.
 * 2. `contextUsagePercentage` (from `contextUsageEvent` or the metadata) times the model's context
 *    window gives the tokens in context after the reply; input = that minus the output estimate.
 * 3. Otherwise the caller's input estimate. Output is then estimated from the text, thinking and
 *    tool input the mapper emitted (`estimateTokens`' rules, counted by `TokenCounter` in src/translate/tokens.ts).
 *
 * `meteringEvent.usage` values are summed into `kiro_credits`.
 */
export class UsageTracker {
  #tokens: { input: number; output: number; cacheRead: number; cacheWrite: number } | undefined
  #percentage: number | undefined
  #credits: number | undefined

  /** Kiro gave real token counts (`metadataEvent`): the estimates are not needed. */
  get hasTokens(): boolean {
    return this.#tokens !== undefined
  }

  metadata(payload: KiroPayload): void {
    const usage = payload.tokenUsage
    if (typeof usage !== 'object' || usage === null) return
    const u = usage as TokenUsage
    const input = count(u.uncachedInputTokens)
    const output = count(u.outputTokens)
    if (input !== undefined && output !== undefined) {
      this.#tokens = {
        input,
        output,
        cacheRead: count(u.cacheReadInputTokens) ?? 0,
        cacheWrite: count(u.cacheWriteInputTokens) ?? 0,
      }
    }
    this.#setPercentage(u.contextUsagePercentage)
  }

  contextUsage(payload: KiroPayload): void {
    this.#setPercentage(payload.contextUsagePercentage)
  }

  metering(payload: KiroPayload): void {
    const credits = payload.usage
    if (typeof credits === 'number' && Number.isFinite(credits) && credits >= 0) {
      this.#credits = (this.#credits ?? 0) + credits
    }
  }

  /** The usage of `message_start`: only the caller's estimate is known then. */
  static initial(inputTokensEstimate: number): Usage {
    return {
      input_tokens: inputTokensEstimate,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: null,
      server_tool_use: null,
      service_tier: 'standard',
      inference_geo: null,
      output_tokens_details: null,
      speed: null,
    }
  }

  /** The cumulative usage of the closing `message_delta`. */
  final(
    output: { readonly estimate: number },
    contextWindow: number | undefined,
    inputTokensEstimate: () => number,
  ): MessageDeltaUsage {
    let input: number
    let outputTokens: number
    let cacheRead = 0
    let cacheWrite = 0
    if (this.#tokens) {
      input = this.#tokens.input
      outputTokens = this.#tokens.output
      cacheRead = this.#tokens.cacheRead
      cacheWrite = this.#tokens.cacheWrite
    } else {
      // The estimates are made only here, when Kiro gave no counts.
      outputTokens = output.estimate
      input =
        this.#percentage !== undefined && contextWindow !== undefined
          ? Math.max(0, Math.round((this.#percentage / 100) * contextWindow) - outputTokens)
          : inputTokensEstimate()
    }
    const usage: MessageDeltaUsage = {
      input_tokens: input,
      output_tokens: outputTokens,
      cache_creation_input_tokens: cacheWrite,
      cache_read_input_tokens: cacheRead,
      server_tool_use: null,
      output_tokens_details: null,
    }
    if (this.#credits !== undefined) usage.kiro_credits = this.#credits
    return usage
  }

  #setPercentage(value: unknown): void {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) this.#percentage = value
  }
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined
}
