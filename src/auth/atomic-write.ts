import type { FileSystem } from './file-system.js'
import { nodeModules } from './node-modules.js'

/**
 * Replaces `target` with `data` so that a reader (or a crash) sees either the old file whole or
 * the new one whole: write a temp file in the same directory (same file system, so rename is
 * atomic), fsync it, rename it over the target, then fsync the directory. A failure removes the
 * temp file; a crash may leave one behind, named so that it never passes for the target.
 */
export async function writeFileAtomic(
  fs: FileSystem,
  target: string,
  data: string,
  mode = 0o600,
): Promise<void> {
  const { path } = await nodeModules()
  const dir = path.dirname(target)
  const suffix = Array.from(globalThis.crypto.getRandomValues(new Uint8Array(6)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('')
  const temp = path.join(dir, `.${path.basename(target)}.${suffix}.tmp`)
  try {
    await fs.writeNew(temp, data, mode)
    await fs.rename(temp, target)
  } catch (error) {
    await fs.unlink(temp).catch(() => {})
    throw error
  }
  await fs.syncDir(dir)
}
