import type { CredentialsError } from '../errors/credentials-error.js'

/**
 * What to tell someone whose login could not be used: the provider's own message (it says where
 * it looked, never a secret), then what to do about it, which depends on why: a login that is
 * missing or dead needs signing in; one that could not be refreshed because the network or the
 * sign-in service failed is still good, and signing in again would not help; a busy or unreadable
 * store needs a retry or a look at the file. `instead` is a command that works without an account.
 */
export function loginHelp(error: CredentialsError, instead: string): string {
  const lines = [error.message, '']
  const advice = adviceFor(error)
  lines.push(...advice)
  if (advice === SIGN_IN) lines.push(`To try kiro-client without an account: ${instead}`)
  return `${lines.join('\n')}\n`
}

const SIGN_IN = [
  'To sign in: log in with the Kiro IDE (it writes ~/.aws/sso/cache/kiro-auth-token.json) or with',
  '`kiro-cli login`; or point KIRO_AUTH_TOKEN_FILE at a token file, or set KIRO_API_KEY.',
]

function adviceFor(error: CredentialsError): readonly string[] {
  switch (error.code) {
    case 'refresh_token_invalid':
    case 'expired':
      return ['Sign in to Kiro again (in the Kiro IDE, or with `kiro-cli login`), then retry.']
    case 'refresh_timeout':
      return NETWORK
    case 'refresh_failed':
      // No status: the sign-in service never answered. 429 and 5xx: it failed on its side.
      return error.status === undefined || error.status === 429 || error.status >= 500 ? NETWORK : SIGN_IN
    case 'locked':
      return ['Another program (kiro-cli) is writing the login right now: try again in a moment.']
    case 'write_failed':
      return ["The login was refreshed but could not be saved; check the file's permissions and free space."]
    default:
      return SIGN_IN
  }
}

const NETWORK = [
  "Kiro's sign-in service could not be reached to renew the login; the login itself is fine, so",
  'signing in again will not help. Check the network (and HTTPS_PROXY, if you use a proxy), then retry.',
]
