import { ConfigurationError } from '../errors/configuration-error.js'

// Outbound HTTP proxies (docs/observability.md, "Outbound proxy"). undici's own `fetch` is used with
// undici's dispatchers: Node's global fetch bundles its own undici, whose version differs across
// Node 20-24, and a dispatcher is only sure to work with the fetch of the same undici. undici is
// loaded on the first request, never by importing this module, so the main entry stays loadable
// where undici cannot run (edge runtimes never call these functions).

type Fetch = typeof globalThis.fetch
type Dispatcher = object
interface Undici {
  fetch: (input: unknown, init?: Record<string, unknown>) => Promise<Response>
  ProxyAgent: new (options: { uri: string }) => Dispatcher
  EnvHttpProxyAgent: new (options: {
    httpProxy?: string
    httpsProxy?: string
    noProxy?: string
  }) => Dispatcher
}

const SPECIFIER = 'undici'
let undici: Promise<Undici> | undefined

function loadUndici(): Promise<Undici> {
  undici ??= import(/* webpackIgnore: true */ /* @vite-ignore */ SPECIFIER) as Promise<Undici>
  return undici
}

/** A fetch that sends everything through the one dispatcher `make` builds. */
function fetchThrough(make: (module: Undici) => Dispatcher): Fetch {
  // Loading starts now (undici takes a noticeable moment to load), not on the first request.
  const ready = loadUndici().then((module) => ({ fetch: module.fetch, dispatcher: make(module) }))
  ready.catch(() => {})
  return (async (input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) => {
    const { fetch, dispatcher } = await ready
    return fetch(input, { ...init, dispatcher })
  }) as Fetch
}

/** Checks a proxy URL, naming `field`; the message never repeats the URL (it may hold a password). */
function checkProxyUrl(value: unknown, field: string): string {
  let url: URL | undefined
  if (typeof value === 'string') {
    try {
      url = new URL(value)
    } catch {
      url = undefined
    }
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ConfigurationError(
      field,
      'must be an http:// or https:// proxy URL, e.g. http://proxy.example:3128',
    )
  }
  return value as string
}

/**
 * A `fetch` that sends every request through one HTTP proxy (HTTPS through a CONNECT tunnel), for
 * the client's `fetch` option or an account's `proxy`. Credentials in the URL
 * (`http://user:pass@host:port`) are sent as `Proxy-Authorization`. Node only.
 *
 * @param proxyUrl - `http://host:port` or `https://host:port`.
 * @throws ConfigurationError (field `proxy`) when it is not such a URL.
 */
export function createProxyFetch(proxyUrl: string, field = 'proxy'): Fetch {
  const uri = checkProxyUrl(proxyUrl, field)
  return fetchThrough((module) => new module.ProxyAgent({ uri }))
}

/** The proxy settings of an environment, by the usual variables (the lower-case form wins, as in curl). */
export interface ProxyEnvironment {
  httpProxy: string | undefined
  httpsProxy: string | undefined
  noProxy: string | undefined
}

function variable(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name]
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

export function proxyEnvironment(env: Record<string, string | undefined>): ProxyEnvironment {
  return {
    httpProxy: variable(env, 'HTTP_PROXY'),
    httpsProxy: variable(env, 'HTTPS_PROXY'),
    noProxy: variable(env, 'NO_PROXY'),
  }
}

/**
 * A `fetch` that honours `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (or their lower-case forms) of
 * `env`, or undefined when neither proxy variable is set (then the global fetch is the right one).
 * `NO_PROXY` lists host names (with their subdomains), `host:port` entries, or `*`. Node only.
 *
 * @throws ConfigurationError naming the variable when a proxy URL is malformed.
 */
export function envProxyFetch(env: Record<string, string | undefined>): Fetch | undefined {
  const { httpProxy, httpsProxy, noProxy } = proxyEnvironment(env)
  if (httpProxy === undefined && httpsProxy === undefined) return undefined
  if (httpProxy !== undefined) checkProxyUrl(httpProxy, 'HTTP_PROXY')
  if (httpsProxy !== undefined) checkProxyUrl(httpsProxy, 'HTTPS_PROXY')
  // Empty strings, not undefined: undici would read process.env for a missing field. An empty
  // HTTPS proxy makes https requests use the HTTP proxy (undici's rule).
  return fetchThrough(
    (module) =>
      new module.EnvHttpProxyAgent({
        httpProxy: httpProxy ?? '',
        httpsProxy: httpsProxy ?? '',
        noProxy: noProxy ?? '',
      }),
  )
}
