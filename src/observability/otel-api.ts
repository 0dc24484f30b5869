import type { OtelApi } from './otel-types.js'

/** Finds `@opentelemetry/api`: the module, undefined when it is not installed, or a promise of either. */
export type OtelApiLoader = () => OtelApi | undefined | Promise<OtelApi | undefined>

// A variable, and the bundlers' ignore comments: the package is an optional peer, so a bundler must
// neither require it at build time nor inline it.
const SPECIFIER = '@opentelemetry/api'

declare const __filename: string | undefined

type NodeModule = { createRequire(from: string): (id: string) => unknown }

/**
 * Node (20.16 and later, 22.3 and later, Bun): a synchronous `require` from this file's location, so
 * that the API is there for the very first request. Returns `false` where that is not possible.
 */
function requireApi(): OtelApi | undefined | false {
  let from: string | undefined
  try {
    from = import.meta.url
  } catch {
    // Not an ES module (the CommonJS build): see __filename below.
  }
  if (typeof from !== 'string' && typeof __filename === 'string') from = __filename
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  const nodeModule = process?.getBuiltinModule?.('node:module') as NodeModule | undefined
  if (typeof from !== 'string' || typeof nodeModule?.createRequire !== 'function') return false
  try {
    return asApi(nodeModule.createRequire(from)(SPECIFIER))
  } catch {
    return undefined
  }
}

async function importApi(): Promise<OtelApi | undefined> {
  try {
    return asApi(await import(/* webpackIgnore: true */ /* @vite-ignore */ SPECIFIER))
  } catch {
    return undefined
  }
}

const findApi: OtelApiLoader = () => {
  const found = requireApi()
  return found === false ? importApi() : found
}

function asApi(loaded: unknown): OtelApi | undefined {
  if (isApi(loaded)) return loaded
  const fallback = (loaded as { default?: unknown } | undefined)?.default
  return isApi(fallback) ? fallback : undefined
}

function isApi(value: unknown): value is OtelApi {
  const api = value as Partial<OtelApi> | undefined
  return (
    typeof api?.trace?.getTracerProvider === 'function' &&
    typeof api.metrics?.getMeterProvider === 'function' &&
    typeof api.createNoopMeter === 'function'
  )
}

let loader: OtelApiLoader = findApi
/** undefined: not looked for yet; a promise: loading; null: not installed; else the API. */
let state: Promise<void> | OtelApi | null | undefined

/**
 * Looks for the OpenTelemetry API, once per process. Where Node can `require` synchronously it is
 * there at once; elsewhere it arrives a moment later and requests made before are not traced.
 */
export function loadOtelApi(): void {
  if (state !== undefined) return
  let found: ReturnType<OtelApiLoader>
  try {
    found = loader()
  } catch {
    found = undefined
  }
  if (found instanceof Promise) {
    state = found.then(
      (api) => {
        state = api ?? null
      },
      () => {
        state = null
      },
    )
  } else state = found ?? null
}

/** The API once found; undefined while looking or when it is not installed. */
export function otelApi(): OtelApi | undefined {
  return state instanceof Promise || state === null ? undefined : state
}

/** Replaces how the API is found (tests and benchmarks simulate its absence), and forgets the last result. */
export function setOtelApiLoader(next: OtelApiLoader | undefined): void {
  loader = next ?? findApi
  state = undefined
}
