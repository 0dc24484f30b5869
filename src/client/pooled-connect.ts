import type { AccountLease } from '../accounts/account-lease.js'
import type { AccountPool } from '../accounts/account-pool.js'
import type { PoolAccount } from '../accounts/pool-account.js'
import { failureKindOf } from '../errors/classify.js'
import { tagAccount } from '../errors/kiro-error.js'
import { withRetries } from '../retry/with-retries.js'
import { resolveTimeouts } from '../transport/timeouts.js'
import { redactSecrets, registerSecret } from '../util/redact.js'
import { attemptRequest, type Connected, type Login } from './attempt.js'
import { callHook } from './hooks.js'
import { RequestBudget } from './request-budget.js'
import type { ClientSettings, RequestContext } from './request-context.js'
import type { RequestRecord } from './request-record.js'
import { retryOptions } from './retry-options.js'

/** An attempt that got through on a pool account: the lease is held until the request ends. */
export interface PooledConnected extends Connected {
  lease: AccountLease
}

/**
 * Carries an account-level failure out of the per-account retry loop at once: a throttled account
 * is left for another, not retried (docs/accounts.md "Failover"). Not an `APIError`, so the retry
 * policy treats it as final.
 */
class LeaveAccount extends Error {
  constructor(readonly failure: unknown) {
    super('leave account')
  }
}

/** A current token of `account` and where it goes (its profile ARN looked up when it needs one). */
export async function accountLogin(
  account: PoolAccount,
  settings: ClientSettings,
  signal: AbortSignal | undefined,
): Promise<Login> {
  const { credentials } = account
  const token = await credentials.getToken({ signal })
  // A custom provider's token is learnt here, as for a single login (acquireLogin): errors never show it.
  registerSecret(token.accessToken)
  // An enterprise login without a profile ARN: looked up once per account (docs/protocol.md §9.1).
  const lookup = account.lookUpProfile(token, settings, signal)
  if (lookup !== undefined) await lookup
  return { credentials, token, endpoint: account.endpoint(token), account: account.id, fetch: account.fetch }
}

/**
 * The attempts of one pooled request, up to its first event: take the best account (waiting for
 * a slot if all are busy), retry on it as a single login would for transient failures, and on a
 * failure of the account itself (throttle, quota, suspension, invalid login) park it and go on to
 * the next ready account, each account at most once. Never after the first event: this returns
 * as soon as the first events exist. The total timeout bounds it all.
 */
export async function connectPooled(
  context: RequestContext,
  settings: ClientSettings,
  pool: AccountPool,
  record: RequestRecord,
  signal: AbortSignal,
): Promise<PooledConnected> {
  const { hooks } = settings
  const budget = new RequestBudget(resolveTimeouts(context.timeouts).total, context.startedAt, signal)
  const tried = new Set<string>()
  let attempts = 0
  try {
    for (;;) {
      const lease = await pool.acquire({
        model: context.model,
        modelId: context.translation.modelId,
        stickyKey: context.translation.conversationId,
        exclude: tried,
        allowed: context.accounts,
        signal: budget.signal,
      })
      const account = lease.account
      record.account = account.id
      const before = attempts
      let login: Login | undefined
      try {
        const connected = await withRetries(
          async (attempt, budgetSignal) => {
            attempts = before + attempt
            record.attempts = attempts
            try {
              login = await accountLogin(account, settings, budgetSignal)
              return await attemptRequest(context, settings, login, attempts, signal, record)
            } catch (error) {
              throw failureKindOf(error) === 'throttled' ? new LeaveAccount(error) : error
            }
          },
          retryOptions(context, settings, budget, () => login, {
            attemptsBefore: before,
            account: account.id,
          }),
        )
        pool.succeeded(account)
        return { ...connected, lease }
      } catch (caught) {
        lease.release()
        const failure = caught instanceof LeaveAccount ? caught.failure : caught
        tagAccount(failure, account.id)
        if (budget.signal.aborted || !(await pool.fail(lease, failure, budget.signal))) throw failure
        tried.add(account.id)
        callHook(hooks.onRetry, () => ({
          invocationId: context.invocationId,
          attempt: attempts,
          delayMs: 0,
          reason: 'account_failover' as const,
          status: (failure as { status?: number }).status,
          message: redactSecrets(failure instanceof Error ? failure.message : String(failure)),
          account: account.id,
        }))
      }
    }
  } catch (error) {
    throw budget.explain(error)
  } finally {
    budget.dispose()
  }
}
