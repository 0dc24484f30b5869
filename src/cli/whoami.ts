import { CredentialsError } from '../errors/credentials-error.js'
import { KiroError } from '../errors/kiro-error.js'
import { loginLines } from './describe-login.js'
import type { CliIo } from './io.js'
import { loginHelp } from './login-help.js'
import { openClient } from './open-client.js'

/**
 * `kiro-client whoami`: which login the client finds, where it lives, its region and profile, and
 * when its access token expires. Loading the login may refresh an expired token (and write it back),
 * exactly as the first request would. Never prints a token.
 */
export async function whoami(io: CliIo): Promise<number> {
  const opened = await openClient({ simulate: false })
  const credentials = opened.client.credentials
  try {
    let failure: KiroError | undefined
    try {
      await credentials.getToken()
    } catch (error) {
      if (error instanceof CredentialsError && error.code === 'not_found') {
        io.err(loginHelp(error, 'kiro-client demo'))
        return 1
      }
      if (!KiroError.isInstance(error)) throw error
      failure = error
    }
    const lines = loginLines(credentials.describe(), Date.now())
    const width = Math.max(...lines.map(([label]) => label.length)) + 1
    for (const [label, value] of lines) io.out(`${`${label}:`.padEnd(width)} ${value}\n`)
    if (failure !== undefined) {
      io.err(
        failure instanceof CredentialsError
          ? `\n${loginHelp(failure, 'kiro-client demo')}`
          : `\nerror: ${failure.message}\n`,
      )
      return 1
    }
    return 0
  } finally {
    await opened.close()
  }
}
