/** The label value that stands for every value past the budget, or not shaped like one. */
const OTHER_LABEL = 'other'

/** What a model id looks like: letters, digits and `.:/@+_-`, at most 100 characters. */
const MODEL_ID = /^[A-Za-z0-9][\w.:/@+-]{0,99}$/

/**
 * Bounds the values one metric label takes (docs/observability.md, "Prometheus metrics").
 * Prometheus keeps a series per distinct value, and the model comes from the client's request: a
 * client sending a new made-up model name with each request would otherwise grow `/metrics`, the
 * scraper's storage and this process without limit. The first `max` values shaped like a model id
 * keep their name; any other value becomes `other`. The empty value (no model) is always kept.
 */
export class LabelBudget {
  readonly #seen = new Set<string>()
  readonly #max: number

  constructor(max: number) {
    this.#max = max
  }

  label(value: string): string {
    if (value === '' || this.#seen.has(value)) return value
    if (this.#seen.size >= this.#max || !MODEL_ID.test(value)) return OTHER_LABEL
    this.#seen.add(value)
    return value
  }
}
