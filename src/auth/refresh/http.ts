import { CredentialsError } from '../../errors/credentials-error.js'
import { redact } from '../../util/redact.js'

/** Refresh answers are a few hundred bytes; anything far larger is not a refresh answer. */
const MAX_ANSWER_BYTES = 64 * 1024

export interface RefreshHttpRequest {
  url: string
  headers: Record<string, string>
  body: Record<string, string>
  /** `json` (Kiro's and AWS's endpoints) or `form` (an OAuth provider's token endpoint). @defaultValue 'json' */
  encoding?: 'json' | 'form'
}

export interface RefreshHttpOptions {
  fetch: typeof globalThis.fetch
  timeoutMs: number
  /** Values that must never reach an error message (the refresh token, the client secret). */
  secrets: ReadonlyArray<string | undefined>
}

/**
 * POSTs one refresh request and returns the JSON object Kiro (or AWS SSO-OIDC) answered with.
 * Every failure is a `CredentialsError` whose message quotes only redacted, bounded upstream text.
 */
export async function postRefresh(
  request: RefreshHttpRequest,
  options: RefreshHttpOptions,
): Promise<Record<string, unknown>> {
  const host = new URL(request.url).host
  const controller = new AbortController()
  // Unref'd: the in-flight fetch already keeps the process alive; the timer must not outlive it.
  const timer = setTimeout(() => controller.abort(), options.timeoutMs)
  timer.unref?.()
  let status: number
  let text: string
  try {
    const response = await options.fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body:
        request.encoding === 'form'
          ? new URLSearchParams(request.body).toString()
          : JSON.stringify(request.body),
      signal: controller.signal,
      // A redirect would resend the refresh token (307/308 keep the body) to a host we did not choose.
      redirect: 'error',
    })
    status = response.status
    text = await readBounded(response, host)
  } catch (error) {
    if (CredentialsError.isInstance(error)) throw error
    if (controller.signal.aborted) {
      throw new CredentialsError(
        'refresh_timeout',
        `The Kiro token refresh at ${host} did not complete within ${options.timeoutMs} ms.`,
      )
    }
    throw new CredentialsError(
      'refresh_failed',
      `Could not reach the Kiro token refresh endpoint ${host}: ${describeNetworkError(error, options.secrets)}.`,
    )
  } finally {
    clearTimeout(timer)
  }
  if (status < 200 || status > 299) throw refreshFailure(status, text, host, options.secrets)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    // The parser's message quotes the body, which may hold a token: say only what went wrong.
    throw new CredentialsError(
      'refresh_failed',
      `The Kiro token refresh at ${host} answered ${status} with a body that is not JSON.`,
      { status },
    )
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CredentialsError(
      'refresh_failed',
      `The Kiro token refresh at ${host} answered ${status} with JSON that is not an object.`,
      { status },
    )
  }
  return json as Record<string, unknown>
}

async function readBounded(response: Response, host: string): Promise<string> {
  if (response.body === null) return ''
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => {})
      throw new CredentialsError(
        'refresh_failed',
        `The Kiro token refresh at ${host} answered more than ${MAX_ANSWER_BYTES} bytes; that is not a refresh answer.`,
        { status: response.status },
      )
    }
    text += decoder.decode(value, { stream: true })
  }
  return text + decoder.decode()
}

function describeNetworkError(error: unknown, secrets: ReadonlyArray<string | undefined>): string {
  const cause = error instanceof Error ? error.cause : undefined
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined
  const message = error instanceof Error ? error.message : String(error)
  return redact(typeof code === 'string' ? `${message} (${code})` : message, secrets)
}

/** OAuth / SSO-OIDC error names that mean the refresh token (or the client registration) can never work again. */
const DEAD_ERROR =
  /^(invalid_grant|invalid_client|unauthorized_client|InvalidGrantException|InvalidClientException|UnauthorizedClientException|ExpiredTokenException)$/i
const DEAD_TEXT =
  /invalid_grant|invalid refresh token|refresh token (is |has )?(been )?(expired|revoked|invalid)/i

/**
 * Maps a failed refresh answer to an error. A refresh token that is dead (`invalid_grant`,
 * docs/protocol.md §2.4) gets its own code so nobody retries it; a social 401 without that wording is treated as
 * transient, since Kiro's social endpoint has answered 401 for valid refresh tokens (docs/protocol.md §4.6).
 */
export function refreshFailure(
  status: number,
  text: string,
  host: string,
  secrets: ReadonlyArray<string | undefined>,
): CredentialsError {
  let errorName: string | undefined
  let description: string | undefined
  try {
    const body = JSON.parse(text) as OAuthErrorBody
    errorName = firstString(body.error, body.__type, body.code)
    description = firstString(body.error_description, body.message, body.Message)
  } catch {
    description = text || undefined
  }
  const said = [errorName, description].filter((part) => part !== undefined).join(': ')
  const quoted = said ? ` (${redact(said, secrets)})` : ''
  const dead =
    status >= 400 &&
    status < 500 &&
    ((errorName !== undefined && DEAD_ERROR.test(errorName.replace(/^.*#/, ''))) || DEAD_TEXT.test(said))
  if (dead) {
    return new CredentialsError(
      'refresh_token_invalid',
      `Kiro refused the refresh token with HTTP ${status}${quoted}: the login has expired or was revoked. ` +
        'Sign in to Kiro again (log in from the Kiro IDE, or run `kiro-cli login`), then retry.',
      { status },
    )
  }
  return new CredentialsError(
    'refresh_failed',
    `The Kiro token refresh at ${host} failed with HTTP ${status}${quoted}.`,
    {
      status,
    },
  )
}

/** OAuth (`error`, `error_description`) and AWS (`__type`, `message`) error bodies. */
interface OAuthErrorBody {
  error?: unknown
  error_description?: unknown
  __type?: unknown
  code?: unknown
  message?: unknown
  Message?: unknown
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value !== '') return value
  return undefined
}
