import { DEFAULT_TOKEN_FILE } from '../../auth/file-token-store.js'
import { type CredentialsInput, envLoginInput, findLoginOnDisk } from '../../auth/resolve-credentials.js'

/**
 * The login `serve` finds by itself, as an account's `credentials`, in the library's order: a token
 * file named by the environment, a kiro-cli database named by it, an API key, tokens in the
 * environment, else the Kiro IDE token file or a kiro-cli database on disk. Nothing found leaves the
 * IDE token file, whose absence the first request reports. With `--redis` it becomes the account
 * `default` of a pool on the shared state, so processes sharing the state share its refreshes
 * (docs/shared-state.md).
 */
export async function defaultLoginInput(
  env: Record<string, string | undefined>,
  disk: Parameters<typeof findLoginOnDisk>[0] = {},
): Promise<CredentialsInput> {
  const named = envLoginInput(env)
  if (named !== undefined) return 'plain' in named ? named.plain : named
  return (await findLoginOnDisk({ ...disk, env })).login ?? { tokenFile: DEFAULT_TOKEN_FILE }
}
