import { isLoopbackHostname } from '../../util/token-url.js'
import { UsageError } from '../args.js'

/** True for an address only this machine can reach: `localhost`, `::1`, anything in 127.0.0.0/8. */
export function isLoopbackHost(host: string): boolean {
  const bareIPv6 = host.includes(':') && !host.startsWith('[')
  return isLoopbackHostname(bareIPv6 ? `[${host}]` : host) || host.toLowerCase() === '::ffff:127.0.0.1'
}

/** How `serve` is exposed, decided from its flags before anything starts. */
export interface Exposure {
  /** The Host names to answer; undefined leaves the Host check off (a non-loopback bind without --allowed-host). */
  allowedHosts: string[] | undefined
  /** Web origins allowed to call; always a list (empty: no web page may). */
  allowedOrigins: string[]
  /** One-line warnings for stderr. */
  warnings: string[]
}

/**
 * The access decisions of `serve` (docs/security.md): a non-loopback bind needs an API key unless
 * `--insecure-no-auth` says otherwise; the Host check is on for loopback binds (this machine's
 * names plus `--allowed-host`) and, on other binds, when `--allowed-host` is given; the Origin
 * check is always on. Throws a {@link UsageError} for a setup that would expose the account.
 */
export function decideExposure(flags: {
  host: string
  apiKey: string | undefined
  insecureNoAuth: boolean
  allowedHosts: string[]
  allowedOrigins: string[]
  tlsCert: string | undefined
}): Exposure {
  const loopback = isLoopbackHost(flags.host)
  const warnings: string[] = []
  if (!loopback && flags.apiKey === undefined) {
    if (!flags.insecureNoAuth) {
      throw new UsageError(
        `--host ${flags.host} is reachable from other machines, and without an API key anyone who reaches it ` +
          'uses your Kiro account: set one (--api-key-file PATH or KIRO_SERVE_API_KEY), or pass --insecure-no-auth.',
      )
    }
    warnings.push(`warning: --insecure-no-auth: anyone who can reach ${flags.host} uses your Kiro account.`)
  }
  if (!loopback && flags.tlsCert === undefined) {
    warnings.push(
      `warning: plain HTTP on ${flags.host}: keys and prompts cross the network unencrypted. ` +
        'Use --tls-cert/--tls-key, or a TLS reverse proxy in front (docs/security.md).',
    )
  }
  const local = ['localhost', '127.0.0.1', '[::1]']
  let allowedHosts: string[] | undefined
  if (loopback) allowedHosts = [...local, flags.host, ...flags.allowedHosts]
  else if (flags.allowedHosts.length > 0) allowedHosts = [...local, ...flags.allowedHosts]
  return { allowedHosts, allowedOrigins: flags.allowedOrigins, warnings }
}
