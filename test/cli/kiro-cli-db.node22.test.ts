import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envWithHome, runCli, spawnTimeout } from './spawn-cli.js'

// The CLI reading a real kiro-cli database through node:sqlite, which exists from Node 22.5: a
// `*.node22.test.ts` file, left out of the run on older Node and always run on 22 and 24
// (vitest.config.ts). Run by mistake on an older Node, it fails here rather than being skipped.
const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  throw new Error(
    `test/cli/kiro-cli-db.node22.test.ts needs Node 22 or later (node:sqlite); this is Node ${process.versions.node}. ` +
      'It must be left out of the run on older Node (see vitest.config.ts), never skipped.',
  )
}

interface Database {
  exec(sql: string): void
  prepare(sql: string): { run(...values: unknown[]): unknown }
  close(): void
}
const specifier = 'node:sqlite'
const { DatabaseSync } = (await import(/* @vite-ignore */ specifier)) as {
  DatabaseSync: new (path: string) => Database
}

const STACK_LINE = /\n\s+at /
const ACCESS_TOKEN = 'aoaSqliteAccessTokenForTheCliTest-0001'

let dir: string
let path: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiro-cli-db-'))
  path = join(dir, 'data.sqlite3')
  const db = new DatabaseSync(path)
  db.exec(
    'CREATE TABLE auth_kv (key TEXT PRIMARY KEY, value TEXT); CREATE TABLE state (key TEXT PRIMARY KEY, value BLOB)',
  )
  db.prepare('INSERT INTO auth_kv VALUES (?, ?)').run(
    'kirocli:social:token',
    JSON.stringify({ access_token: ACCESS_TOKEN, expires_at: '2999-01-01T00:00:00Z' }),
  )
  db.close()
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('the CLI on a real kiro-cli database (node:sqlite)', () => {
  it("reads the login without printing node:sqlite's ExperimentalWarning", {
    timeout: spawnTimeout(),
  }, async () => {
    const result = await runCli(['whoami'], envWithHome(dir, { KIRO_CLI_DB: path }))
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(path)
    expect(result.stderr).toBe('')
    expect(result.stdout + result.stderr).not.toContain(ACCESS_TOKEN)
  })

  it('a database another program holds locked: "locked, try again", exit 1, no stack', {
    timeout: spawnTimeout(),
  }, async () => {
    // kiro-cli writing its login: an exclusive transaction held open by another connection.
    const holder = new DatabaseSync(path)
    holder.exec('BEGIN EXCLUSIVE')
    holder.exec("INSERT INTO state VALUES ('being-written', 'x')")
    try {
      const result = await runCli(['whoami'], envWithHome(dir, { KIRO_CLI_DB: path }))
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(`${path}: the kiro-cli database is locked`)
      expect(result.stderr).toContain('try again')
      expect(result.stderr).not.toMatch(/invalid|not a database|To sign in/i)
      expect(result.stderr).not.toMatch(STACK_LINE)
    } finally {
      holder.exec('ROLLBACK')
      holder.close()
    }
  })

  it("a file that is not a database: SQLite's own message, exit 1, no stack", {
    timeout: spawnTimeout(),
  }, async () => {
    const broken = join(dir, 'broken.sqlite3')
    await writeFile(
      broken,
      'this is not a SQLite database, only some text long enough to be read\n'.repeat(20),
    )
    const result = await runCli(['whoami'], envWithHome(dir, { KIRO_CLI_DB: broken }))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`${broken}: cannot read the kiro-cli database: file is not a database`)
    expect(result.stderr).not.toMatch(STACK_LINE)
    expect(result.stderr).not.toContain('ExperimentalWarning')
  })
})
