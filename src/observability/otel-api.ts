import type { OtelApi } from './otel-types.js'

/** Loads `@opentelemetry/api`; resolves to undefined when it is not installed. */
export type OtelApiLoader = () => Promise<OtelApi | undefined>

// A variable, and the bundlers' ignore comments: the package is an optional peer, so a bundler must
// neither require it at build time nor inline it.
const SPECIFIER = '@opentelemetry/api'

const importApi: OtelApiLoader = async () => {
  try {
    const loaded = (await import(/* webpackIgnore: true */ /* @vite-ignore */ SPECIFIER)) as {
      default?: unknown
    }
    const api = (isApi(loaded) ? loaded : loaded.default) as unknown
    return isApi(api) ? api : undefined
  } catch {
    return undefined
  }
}

function isApi(value: unknown): value is OtelApi {
  const api = value as Partial<OtelApi> | undefined
  return (
    typeof api?.trace?.getTracerProvider === 'function' &&
    typeof api.metrics?.getMeterProvider === 'function' &&
    typeof api.createNoopMeter === 'function'
  )
}

let loader: OtelApiLoader = importApi
/** undefined: not asked yet; a promise: loading; null: not installed; else the API. */
let state: Promise<void> | OtelApi | null | undefined

/**
 * The OpenTelemetry API when it is installed: loaded once per process, on first demand, and then
 * read synchronously through {@link otelApi}.
 */
export function loadOtelApi(): Promise<void> | undefined {
  if (state === undefined) {
    const loading = loader().then(
      (api) => {
        state = api ?? null
      },
      () => {
        state = null
      },
    )
    state = loading
  }
  return state instanceof Promise ? state : undefined
}

/** The API once loaded; undefined while loading or when it is not installed. */
export function otelApi(): OtelApi | undefined {
  return state instanceof Promise || state === null ? undefined : state
}

/** Replaces how the API is found (tests and benchmarks simulate its absence), and forgets the last result. */
export function setOtelApiLoader(next: OtelApiLoader | undefined): void {
  loader = next ?? importApi
  state = undefined
}
