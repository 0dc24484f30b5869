import { homedir } from 'node:os'
import { join } from 'node:path'

/** Where the CLI keeps a team's setup: `KIRO_CLIENT_HOME`, else `$XDG_CONFIG_HOME/kiro-client`, else `~/.config/kiro-client`. */
function configDir(env: Record<string, string | undefined>): string {
  const { KIRO_CLIENT_HOME: given, XDG_CONFIG_HOME: config } = env
  const home = given?.trim()
  if (home) return home
  const xdg = config?.trim()
  return join(xdg ? xdg : join(homedir(), '.config'), 'kiro-client')
}

/** The default accounts file (`serve --accounts`), the folder of imported logins, and the client keys file. */
export function defaultPaths(env: Record<string, string | undefined>): {
  accountsFile: string
  loginsDir: string
  keysFile: string
} {
  const dir = configDir(env)
  return {
    accountsFile: join(dir, 'accounts.json'),
    loginsDir: join(dir, 'accounts'),
    keysFile: join(dir, 'client-keys.json'),
  }
}
