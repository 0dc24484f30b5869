import { nodeOs } from './runtime-info.js'
import { sha256Hex } from './sha256.js'

const MACHINE_ID = /^[0-9a-f]{64}$/

/**
 * A stable 64-hex machine id for Kiro's user-agent (docs/protocol.md §1.3), derived by SHA-256
 * from a non-secret seed such as the profile ARN or the host name. Never pass a token: the id is
 * sent in clear in every request. A seed that already is 64 lowercase hex digits is used as is.
 *
 * @example
 * ```ts
 * machineId('arn:aws:codewhisperer:us-east-1:123456789012:profile/ABC') // '5f1c…' (64 hex)
 * ```
 */
export function machineId(seed: string): string {
  if (MACHINE_ID.test(seed)) return seed
  return sha256Hex(`kiro-client/machine-id/${seed}`)
}

/** A seed that is stable for this machine and user and holds no secret: `hostname/username`. */
export function defaultMachineIdSeed(): string {
  const os = nodeOs()
  try {
    if (os) return `${os.hostname()}/${os.userInfo().username}`
  } catch {
    // userInfo() throws when the user has no passwd entry (some containers).
  }
  try {
    if (os) return os.hostname()
  } catch {
    // fall through
  }
  return 'kiro-client'
}
