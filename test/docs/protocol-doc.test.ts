import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHAPE_RULES } from '../../src/translate/shape-rule-ids.js'

const root = new URL('../../', import.meta.url).pathname
const doc = readFileSync(join(root, 'docs/protocol.md'), 'utf8')

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) files(path, out)
    else if (path.endsWith('.ts')) out.push(path)
  }
  return out
}

/** The section numbers of the page's headings: `## 10.` is `10`, `### 10.1` is `10.1`. */
const sections = new Set([...doc.matchAll(/^#{2,3} (\d+(?:\.\d+)?)\.? /gm)].map((m) => m[1]))

/** One section of the page, from its heading to the next heading of its level or above. */
function section(number: string): string {
  const start = doc.search(new RegExp(`^#{2,3} ${number.replace('.', '\\.')}\\.? `, 'm'))
  const rest = doc.slice(doc.indexOf('\n', start) + 1)
  const end = rest.search(/^#{2,3} \d/m)
  return end === -1 ? rest : rest.slice(0, end)
}

describe('docs/protocol.md', () => {
  it('every section the source and tests cite exists', () => {
    const cited = new Set<string>()
    for (const file of [...files(join(root, 'src')), ...files(join(root, 'test'))]) {
      for (const m of readFileSync(file, 'utf8').matchAll(/docs\/protocol\.md §(\d+(?:\.\d+)?)/g)) {
        cited.add(m[1] as string)
      }
    }
    expect(cited.size).toBeGreaterThan(20)
    const missing = [...cited].filter((n) => !sections.has(n))
    expect(missing).toEqual([])
  })

  it('§10.1 has a row for every rule of the shape checker, and no other', () => {
    const rows = [...section('10.1').matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1])
    expect(rows.sort()).toEqual(Object.keys(SHAPE_RULES).sort())
    // The rules the checker is stricter on say so in the table.
    for (const [rule, info] of Object.entries(SHAPE_RULES)) {
      const row = section('10.1')
        .split('\n')
        .find((line) => line.startsWith(`| \`${rule}\` |`)) as string
      const lastCell = row.split('|').at(-2)?.trim() ?? ''
      expect(lastCell === '', `${rule}: stricter cell`).toBe(info.stricter === undefined)
    }
  })

  it('the test files §15 and §12 name exist', () => {
    const named = new Set(
      [...(section('15') + section('12') + section('10')).matchAll(/`(test\/[\w./-]+\.ts)`/g)].map(
        (m) => m[1],
      ),
    )
    expect(named.size).toBeGreaterThan(10)
    for (const path of named) expect(existsSync(join(root, path as string)), path).toBe(true)
  })
})
