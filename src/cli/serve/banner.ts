import type { AccountStatus } from '../../accounts/account-status.js'
import type { CredentialsDescription } from '../../auth/types.js'
import { loginLines } from '../describe-login.js'
import { type CliIo, dim } from '../io.js'
import { isLoopbackHost } from './exposure.js'

/** What the banner says after the listening line: the login, and how to point clients at the server. */
export function banner(
  io: CliIo,
  url: string,
  options: { host: string; apiKey: string | undefined; clientKeys?: string | undefined },
  login: CredentialsDescription | undefined,
  accounts?: readonly AccountStatus[] | undefined,
): void {
  const lines: string[] = []
  if (accounts !== undefined) {
    lines.push(`Kiro accounts (${accounts.length}):`)
    for (const account of accounts) {
      const where = account.login.path
        ? `${account.login.source} (${account.login.path})`
        : account.login.source
      lines.push(`  ${account.id}: ${account.state}, ${where}`)
    }
  } else if (login === undefined) {
    lines.push('Simulated Kiro: scripted answers over the real protocol; no account is used.')
  } else {
    lines.push('Kiro login:')
    for (const [label, value] of loginLines(login, Date.now())) lines.push(`  ${label}: ${value}`)
  }
  const hint = isLoopbackHost(options.host)
    ? url
    : url.replace(/\/\/[^/]+/, `//127.0.0.1:${new URL(url).port}`)
  const token =
    options.apiKey !== undefined
      ? '<your --api-key>'
      : options.clientKeys !== undefined
        ? '<your client key>'
        : 'unused'
  lines.push(
    '',
    'Point Claude Code at it:',
    `  ANTHROPIC_BASE_URL=${hint} ANTHROPIC_AUTH_TOKEN=${token} claude`,
    'or any Anthropic SDK:',
    `  new Anthropic({ baseURL: '${hint}', apiKey: '${token}' })`,
  )
  io.out(`${dim(io, lines.join('\n'))}\n`)
}
