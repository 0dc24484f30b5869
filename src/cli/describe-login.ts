import type { CredentialsDescription } from '../auth/types.js'

/** `in 42 min`, `3 h ago`: how far a time is from now, roughly. */
export function relativeTime(at: number, now: number): string {
  const minutes = Math.round(Math.abs(at - now) / 60_000)
  const amount = minutes < 90 ? `${minutes} min` : `${Math.round(minutes / 60)} h`
  return at >= now ? `in ${amount}` : `${amount} ago`
}

/** A login as `label: value` lines, for `whoami` and the `serve` banner. Holds no secret by construction. */
export function loginLines(login: CredentialsDescription, now: number): Array<[string, string]> {
  const lines: Array<[string, string]> = [
    ['source', login.path ? `${login.source} (${login.path})` : login.source],
  ]
  if (login.authMethod) lines.push(['auth method', login.authMethod])
  if (login.region) lines.push(['region', login.region])
  if (login.profileArn) lines.push(['profile', login.profileArn])
  if (login.expiresAt !== undefined) {
    const state = login.expiresAt > now ? 'expires' : 'expired'
    lines.push([
      'token',
      `${state} ${new Date(login.expiresAt).toISOString()} (${relativeTime(login.expiresAt, now)})`,
    ])
  } else if (login.authMethod === 'api_key') {
    lines.push(['token', 'an API key (does not expire)'])
  }
  if (login.canRefresh !== undefined) lines.push(['refresh', login.canRefresh ? 'automatic' : 'not possible'])
  return lines
}
