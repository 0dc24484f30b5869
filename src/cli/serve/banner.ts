import type { CredentialsDescription } from '../../auth/types.js'
import { loginLines } from '../describe-login.js'
import { type CliIo, dim } from '../io.js'
import { isLoopbackHost } from './exposure.js'

/** What the banner says after the listening line: the login, and how to point clients at the server. */
export function banner(
  io: CliIo,
  url: string,
  options: { host: string; apiKey: string | undefined },
  login: CredentialsDescription | undefined,
): void {
  const lines: string[] = []
  if (login === undefined) {
    lines.push('Simulated Kiro: scripted answers over the real protocol; no account is used.')
  } else {
    lines.push('Kiro login:')
    for (const [label, value] of loginLines(login, Date.now())) lines.push(`  ${label}: ${value}`)
  }
  const hint = isLoopbackHost(options.host)
    ? url
    : url.replace(/\/\/[^/]+/, `//127.0.0.1:${new URL(url).port}`)
  const token = options.apiKey === undefined ? 'unused' : '<your --api-key>'
  lines.push(
    '',
    'Point Claude Code at it:',
    `  ANTHROPIC_BASE_URL=${hint} ANTHROPIC_AUTH_TOKEN=${token} claude`,
    'or any Anthropic SDK:',
    `  new Anthropic({ baseURL: '${hint}', apiKey: '${token}' })`,
  )
  io.out(`${dim(io, lines.join('\n'))}\n`)
}
