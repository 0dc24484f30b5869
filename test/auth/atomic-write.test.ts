import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type FileSystem, nodeFileSystem, writeFileAtomic } from '../../src/auth/files.js'

const SECRET = '{"accessToken":"aoaAAAAAG-atomic-write-secret-0001"}'
const posix = process.platform !== 'win32'

let dir: string
let target: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiro-atomic-'))
  target = join(dir, 'kiro-auth-token.json')
  await writeFile(target, '{"accessToken":"old"}', { mode: 0o600 })
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The real file system, with one operation replaced. */
const withFs = (override: Partial<FileSystem>): FileSystem => ({ ...nodeFileSystem, ...override })

describe('writeFileAtomic on real files', () => {
  it('the temp file is owner-only before the secret is in it, even under a permissive umask', async () => {
    const seen: Array<{ mode: number; size: number }> = []
    // Observe the temp file at the moment the rename would happen, and once as soon as it exists.
    const previous = process.umask(0)
    try {
      await writeFileAtomic(
        withFs({
          rename: async (from, to) => {
            const stats = await stat(from)
            seen.push({ mode: stats.mode & 0o777, size: stats.size })
            await nodeFileSystem.rename(from, to)
          },
        }),
        target,
        SECRET,
      )
    } finally {
      process.umask(previous)
    }
    if (posix) expect(seen).toEqual([{ mode: 0o600, size: SECRET.length }])
    expect(await readFile(target, 'utf8')).toBe(SECRET)
    if (posix) expect((await stat(target)).mode & 0o777).toBe(0o600)
    expect(await readdir(dir)).toEqual(['kiro-auth-token.json'])
  })

  it('a crash between write and rename leaves only an owner-only temp file', async () => {
    // The "crash": rename never happens; what is on disk is what a crash leaves.
    const crashed = writeFileAtomic(withFs({ rename: () => new Promise<void>(() => {}) }), target, SECRET)
    void crashed
    let leftover: string | undefined
    for (let i = 0; i < 100 && leftover === undefined; i++) {
      leftover = (await readdir(dir)).find((name) => name.endsWith('.tmp'))
      if (leftover === undefined) await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(leftover).toMatch(/^\.kiro-auth-token\.json\.[0-9a-f]{12}\.tmp$/)
    const stats = await stat(join(dir, leftover!))
    if (posix) expect(stats.mode & 0o077).toBe(0)
    expect(await readFile(target, 'utf8')).toBe('{"accessToken":"old"}')
  })

  it('a failed rename removes the temp file and leaves the target as it was', async () => {
    const failing = withFs({
      rename: async () => Promise.reject(Object.assign(new Error('rename failed'), { code: 'EXDEV' })),
    })
    await expect(writeFileAtomic(failing, target, SECRET)).rejects.toMatchObject({ code: 'EXDEV' })
    expect(await readdir(dir)).toEqual(['kiro-auth-token.json'])
    expect(await readFile(target, 'utf8')).toBe('{"accessToken":"old"}')
  })

  it('a write that fails after the file was created removes it', async () => {
    const path = join(dir, '.half-written.tmp')
    // A value writeFile refuses: the failure comes after open created the file, as a full disk's would.
    await expect(nodeFileSystem.writeNew(path, 42 as unknown as string, 0o600)).rejects.toThrow()
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('never removes a file it did not create (EEXIST)', async () => {
    const path = join(dir, 'not-ours.tmp')
    await writeFile(path, 'not ours')
    await expect(nodeFileSystem.writeNew(path, SECRET, 0o600)).rejects.toMatchObject({ code: 'EEXIST' })
    expect(await readFile(path, 'utf8')).toBe('not ours')

    const unlinked: string[] = []
    const taken = withFs({
      writeNew: async () => Promise.reject(Object.assign(new Error('exists'), { code: 'EEXIST' })),
      unlink: async (file) => {
        unlinked.push(file)
      },
    })
    await expect(writeFileAtomic(taken, target, SECRET)).rejects.toMatchObject({ code: 'EEXIST' })
    expect(unlinked).toEqual([])
  })
})
