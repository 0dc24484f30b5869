type Listener = (...args: never[]) => void

/**
 * The listener registry behind MessageStream's `on/once/off` (the SDK's semantics: a listener added
 * twice is called twice; `off` removes one registration; `once` listeners are removed before they run).
 */
export class Listeners<Events extends { [K in keyof Events]: Listener }> {
  readonly #map = new Map<keyof Events, { listener: Listener; once: boolean }[]>()

  add<E extends keyof Events>(event: E, listener: Events[E], once: boolean): void {
    let list = this.#map.get(event)
    if (!list) {
      list = []
      this.#map.set(event, list)
    }
    list.push({ listener, once })
  }

  remove<E extends keyof Events>(event: E, listener: Events[E]): void {
    const list = this.#map.get(event)
    if (!list) return
    const at = list.findIndex((entry) => entry.listener === listener)
    if (at >= 0) list.splice(at, 1)
  }

  has(event: keyof Events): boolean {
    return (this.#map.get(event)?.length ?? 0) > 0
  }

  /** Calls the listeners of `event`; returns whether there were any. */
  emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): boolean {
    const list = this.#map.get(event)
    if (!list || list.length === 0) return false
    if (list.some((entry) => entry.once)) {
      this.#map.set(
        event,
        list.filter((entry) => !entry.once),
      )
    }
    // Like the SDK's `forEach`: the listeners present when the event fired, so a listener that adds
    // another for the same event does not get it called now (nor loop forever).
    for (let i = 0, count = list.length; i < count; i++) {
      const entry = list[i]
      if (entry) (entry.listener as (...a: Parameters<Events[E]>) => void)(...args)
    }
    return true
  }
}
