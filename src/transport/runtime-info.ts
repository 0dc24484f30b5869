// What the user-agent says about the runtime. Read once, lazily, without static node: imports so
// the package loads on runtimes without them (docs/protocol.md §1.3 user-agent shapes).

type NodeOs = { release(): string; hostname(): string; userInfo(): { username: string } }

interface ProcessLike {
  platform?: string
  version?: string
  getBuiltinModule?: (id: string) => unknown
}

function processLike(): ProcessLike | undefined {
  return (globalThis as { process?: ProcessLike }).process
}

/** node:os where it exists. */
export function nodeOs(): NodeOs | undefined {
  try {
    return processLike()?.getBuiltinModule?.('node:os') as NodeOs | undefined
  } catch {
    return undefined
  }
}

export interface RuntimeInfo {
  /** `macos`, `windows`, `linux`, or the platform name as Node reports it. */
  os: string
  osRelease: string
  /** Node's version without the leading `v`, or `unknown`. */
  nodeVersion: string
}

let cached: RuntimeInfo | undefined

const OS_NAMES: Record<string, string> = { darwin: 'macos', win32: 'windows', linux: 'linux' }

export function runtimeInfo(): RuntimeInfo {
  if (cached) return cached
  const proc = processLike()
  const platform = proc?.platform ?? 'other'
  let osRelease = 'unknown'
  try {
    osRelease = nodeOs()?.release() ?? 'unknown'
  } catch {
    // Sandboxed runtimes may refuse; the header is informative only.
  }
  cached = {
    os: OS_NAMES[platform] ?? platform,
    osRelease,
    nodeVersion: proc?.version?.replace(/^v/, '') ?? 'unknown',
  }
  return cached
}
