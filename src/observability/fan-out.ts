import type { KiroHooks } from '../client/hooks.js'

type HookName = keyof KiroHooks
/** Every hook: a hook added to `KiroHooks` without a row here does not compile. */
const HOOKS: { readonly [K in HookName]-?: true } = {
  onStart: true,
  onRequest: true,
  onResponse: true,
  onFirstEvent: true,
  onRetry: true,
  onTokenRefresh: true,
  onEvents: true,
  onEnd: true,
  onAccountStatus: true,
  onStateWarning: true,
}
const NAMES = Object.keys(HOOKS) as HookName[]

/**
 * One set of hooks that calls each subscriber's in turn, each shielded from the others' failures.
 * A hook none of them has stays unset, so the pipeline skips it (and builds no payload for it).
 */
export function fanOut(subscribers: readonly KiroHooks[]): KiroHooks {
  const out: Record<string, (event: never) => void> = {}
  for (const name of NAMES) {
    const calls = subscribers.map((hooks) => hooks[name]).filter((hook) => hook !== undefined) as Array<
      (event: never) => void
    >
    if (calls.length === 1) out[name] = calls[0]!
    else if (calls.length > 1) {
      out[name] = (event) => {
        for (const call of calls) {
          try {
            call(event)
          } catch {
            // One subscriber's bug must not keep the others from the event.
          }
        }
      }
    }
  }
  return out as KiroHooks
}
