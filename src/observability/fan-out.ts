import { HOOK_NAMES, type KiroHooks } from '../client/hooks.js'

/**
 * One set of hooks that calls each subscriber's in turn, each shielded from the others' failures.
 * A hook none of them has stays unset, so the pipeline skips it (and builds no payload for it).
 */
export function fanOut(subscribers: readonly KiroHooks[]): KiroHooks {
  const out: Record<string, (event: never) => void> = {}
  for (const name of HOOK_NAMES) {
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
