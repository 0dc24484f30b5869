import type { WithRetriesOptions } from '../retry/with-retries.js'
import { redactSecrets } from '../util/redact.js'
import type { Login } from './attempt.js'
import { callHook } from './hooks.js'
import type { RequestBudget } from './request-budget.js'
import type { ClientSettings, RequestContext } from './request-context.js'

/**
 * The retry loop's options for one request's attempts on one login source: the request's retry
 * settings and budget, `onRetry` reported to the hooks (message redacted), and an expired token
 * dropped from its provider. `login` gives the login of the attempt in flight; a pool account
 * numbers its attempts after those made on earlier accounts (`attemptsBefore`) and names itself.
 */
export function retryOptions(
  context: RequestContext,
  settings: ClientSettings,
  budget: RequestBudget,
  login: () => Login | undefined,
  pool?: { attemptsBefore: number; account: string },
): WithRetriesOptions {
  const { onRetry } = settings.hooks
  return {
    maxRetries: context.maxRetries,
    scope: context.retryScope,
    maxRetryAfterMs: settings.maxRetryAfterMs,
    signal: budget.signal,
    deadline: budget.deadline,
    onRetry: onRetry
      ? (info) =>
          callHook(onRetry, () => ({
            invocationId: context.invocationId,
            attempt: (pool?.attemptsBefore ?? 0) + info.attempt,
            delayMs: info.delayMs,
            reason: info.reason,
            status: info.status,
            message: redactSecrets(info.error.message),
            ...(pool === undefined ? {} : { account: pool.account }),
          }))
      : undefined,
    onTokenInvalid: async (_error, signal) => {
      const current = login()
      if (current) await current.credentials.invalidate(current.token, { signal })
    },
  }
}
