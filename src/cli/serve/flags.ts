import { booleanFlag, type FlagValues, integerFlag, secretFlag, stringFlag } from '../flag-kinds.js'

/**
 * Every flag of `kiro-client serve`, in help order. To add one: add an entry here (its key becomes
 * a property of {@link ServeFlags}), then use it in the step of src/cli/serve.ts it concerns.
 * Secrets take `secretFlag` (a `--x-file` form and an environment variable come with it).
 */
export const SERVE_FLAGS = {
  port: integerFlag('port', {
    group: 'Listening',
    arg: 'N',
    help: 'the port; 0 picks a free one',
    default: 8787,
    min: 0,
    max: 65_535,
  }),
  host: stringFlag('host', {
    group: 'Listening',
    arg: 'H',
    help: 'the address to bind (default 127.0.0.1: this machine only)',
    default: '127.0.0.1',
  }),
  apiKey: secretFlag('api-key', {
    group: 'Access',
    env: 'KIRO_SERVE_API_KEY',
    help: 'a key every client must send (x-api-key or Authorization: Bearer)',
  }),
  adminKey: secretFlag('admin-key', {
    group: 'Access',
    env: 'KIRO_SERVE_ADMIN_KEY',
    help: 'the key of the /admin routes',
  }),
  simulate: booleanFlag('simulate', {
    group: 'Kiro',
    help: 'serve the local simulator instead of Kiro (no account needed)',
  }),
}

/** The resolved flags of `kiro-client serve`. */
export type ServeFlags = FlagValues<typeof SERVE_FLAGS>
