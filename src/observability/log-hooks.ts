import type { RefreshEvent } from '../auth/types.js'
import type { EndHookEvent, KiroHooks } from '../client/hooks.js'
import { redact } from '../util/redact.js'
import { type LogLevel, logs } from './log-level.js'
import type { Logger } from './logger.js'

const PREFIX = 'kiro-client'

/** The first block of an invocation id: enough to tell concurrent requests apart in a log. */
function tag(invocationId: string): string {
  return `${PREFIX} [${invocationId.slice(0, 8)}]`
}

function ms(value: number): string {
  return `${Math.round(value)} ms`
}

/** Upstream text is scrubbed again here: a log line outlives the request. */
function safe(message: string): string {
  return redact(message, [])
}

/**
 * Hook subscribers that write the client's log lines (docs/observability.md, "Logging"):
 * `error` a failed request or refresh, `warn` a retried attempt or a token that could not be saved,
 * `info` each finished request and refresh, `debug` each attempt (method, URL, status, timing) and
 * the first event. No payload holds a credential; error messages are scrubbed once more.
 */
export function logHooks(level: LogLevel, logger: Logger): KiroHooks {
  const hooks: KiroHooks = {}
  if (logs(level, 'debug')) {
    hooks.onStart = (event) =>
      logger.debug(`${tag(event.invocationId)} ${event.model}: started`, {
        model: event.model,
        stream: event.stream,
        maxTokens: event.maxTokens,
      })
    hooks.onRequest = (event) =>
      logger.debug(`${tag(event.invocationId)} attempt ${event.attempt}: POST ${event.url}`, {
        ...(event.account === undefined ? {} : { account: event.account }),
        model: event.model,
        modelId: event.modelId,
        bodyBytes: event.bodyBytes,
        ...(event.ignored.length > 0 ? { ignored: event.ignored } : {}),
      })
    hooks.onResponse = (event) =>
      logger.debug(
        `${tag(event.invocationId)} attempt ${event.attempt}: HTTP ${event.status} in ${ms(event.timeToHeadersMs)}`,
        { requestId: event.requestId },
      )
    hooks.onFirstEvent = (event) =>
      logger.debug(`${tag(event.invocationId)} first event after ${ms(event.timeToFirstEventMs)}`)
  }
  if (logs(level, 'warn')) {
    hooks.onRetry = (event) => {
      const status = event.status === undefined ? '' : `, HTTP ${event.status}`
      logger.warn(
        `${tag(event.invocationId)} attempt ${event.attempt} failed (${event.reason}${status}), retrying in ${ms(event.delayMs)}: ${safe(event.message)}`,
        { reason: event.reason, status: event.status, delayMs: event.delayMs },
      )
    }
  }
  if (logs(level, 'error')) {
    hooks.onTokenRefresh = (event) => logRefresh(level, logger, event)
    hooks.onEnd = (event) => logEnd(level, logger, event)
  }
  return hooks
}

function logEnd(level: LogLevel, logger: Logger, event: EndHookEvent): void {
  const attempts = `${event.attempts} attempt${event.attempts === 1 ? '' : 's'}`
  const details = {
    model: event.model,
    ...(event.account === undefined ? {} : { account: event.account }),
    requestId: event.requestId,
    durationMs: Math.round(event.durationMs),
    attempts: event.attempts,
    ...(event.usage
      ? { inputTokens: event.usage.input_tokens, outputTokens: event.usage.output_tokens }
      : {}),
  }
  const { error } = event
  if (error === undefined) {
    if (!logs(level, 'info')) return
    const tokens = event.usage
      ? `, ${event.usage.input_tokens} in / ${event.usage.output_tokens} out tokens`
      : ''
    logger.info(
      `${tag(event.invocationId)} ${event.model}: ${event.stopReason ?? 'ended'} in ${ms(event.durationMs)}, ${attempts}${tokens}`,
      details,
    )
    return
  }
  const status = error.status === undefined ? '' : ` (HTTP ${error.status})`
  const line = `${tag(event.invocationId)} ${event.model}: ${error.name}${status} after ${ms(event.durationMs)}, ${attempts}: ${safe(error.message)}`
  // The caller's own abort is not a failure of the request.
  if (error.name === 'APIUserAbortError') {
    if (logs(level, 'info')) logger.info(line, details)
  } else logger.error(line, { ...details, error: error.name, status: error.status })
}

function logRefresh(level: LogLevel, logger: Logger, event: RefreshEvent): void {
  const how = `${event.source}${event.authMethod ? `, ${event.authMethod}` : ''}${event.background ? ', background' : ''}`
  const details = {
    source: event.source,
    background: event.background,
    durationMs: Math.round(event.durationMs),
  }
  if (!event.ok) {
    const reason = event.error ? `: ${event.error.code}: ${safe(event.error.message)}` : ''
    logger.error(`${PREFIX} token refresh (${how}) failed after ${ms(event.durationMs)}${reason}`, details)
    return
  }
  if (event.writeBackError) {
    if (!logs(level, 'warn')) return
    logger.warn(
      `${PREFIX} token refreshed (${how}) but not saved: ${event.writeBackError.code}: ${safe(event.writeBackError.message)}`,
      details,
    )
  } else if (logs(level, 'info')) {
    logger.info(`${PREFIX} token refreshed (${how}) in ${ms(event.durationMs)}`, details)
  }
}
