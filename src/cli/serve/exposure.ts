const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]'])

/** True for an address only this machine can reach: `localhost`, `::1`, anything in 127.0.0.0/8. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase()
  return LOOPBACK_NAMES.has(name) || /^127(\.\d{1,3}){3}$/.test(name) || name === '::ffff:127.0.0.1'
}
