import { APIError, restateError } from '../errors/api-error.js'
import { isContextOverflow, kiroFailureOf } from '../errors/classify.js'
import { overflowByKiro, promptTooLongMessage } from '../translate/context-limit.js'
import type { KiroTranslation } from '../translate/to-kiro-request.js'

/**
 * Kiro's own context-size refusal, restated with this request's figures in the Anthropic API's words
 * (`prompt is too long: N tokens > M maximum`), so that Claude Code compacts and knows by how much
 * (docs/claude-code.md, "Long sessions"). Any other error is returned as it is.
 */
export function explainContextOverflow(
  error: unknown,
  translation: Pick<KiroTranslation, 'inputTokensEstimate' | 'contextWindow'> | undefined,
): unknown {
  if (translation === undefined || !(error instanceof APIError)) return error
  if (!isContextOverflow(kiroFailureOf(error))) return error
  const overflow = overflowByKiro(translation.inputTokensEstimate, translation.contextWindow)
  const message = promptTooLongMessage(
    overflow,
    `Kiro refused the conversation as longer than this model accepts${
      error.reason ? ` (${error.reason})` : ''
    }. Compact or shorten it and try again.`,
  )
  return restateError(error, message, {
    // An overflow Kiro reported on a 429 is still a bad request, not throttling.
    status: error.status === undefined ? undefined : 400,
    type: 'invalid_request_error',
  })
}
