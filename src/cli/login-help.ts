import type { CredentialsError } from '../errors/credentials-error.js'

/**
 * What to tell someone whose login could not be used: the provider's own message (it says where
 * it looked, never a secret), how to sign in, and `instead`, a command that works without an account.
 */
export function loginHelp(error: CredentialsError, instead: string): string {
  const lines = [error.message, '']
  if (error.code === 'refresh_token_invalid' || error.code === 'expired') {
    lines.push('Sign in to Kiro again (in the Kiro IDE, or with `kiro-cli login`), then retry.')
  } else {
    lines.push(
      'To sign in: log in with the Kiro IDE (it writes ~/.aws/sso/cache/kiro-auth-token.json) or with',
      '`kiro-cli login`; or point KIRO_AUTH_TOKEN_FILE at a token file, or set KIRO_API_KEY.',
    )
  }
  lines.push(`To try kiro-client without an account: ${instead}`)
  return `${lines.join('\n')}\n`
}
