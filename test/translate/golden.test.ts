import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkKiroRequest } from '../../src/translate/shape-checker.js'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import { GOLDEN_CASES } from '../fixtures/translate/golden-cases.js'

const dir = join(import.meta.dirname, '../fixtures/translate/golden')
const files = readdirSync(dir).filter((f) => f.endsWith('.json'))

describe('golden fixtures: params in, exact Kiro JSON out', () => {
  it('has one reviewed file per case', () => {
    expect(files.sort()).toEqual(GOLDEN_CASES.map((c) => `${c.name}.json`).sort())
  })

  for (const file of files) {
    const golden = JSON.parse(readFileSync(join(dir, file), 'utf8'))
    it(`${file.replace('.json', '')}: ${golden.rule}`, () => {
      const t = toKiroRequest(golden.params, golden.options)
      expect(t.body).toEqual(golden.expected.body)
      expect(t.serialized).toBe(JSON.stringify(golden.expected.body))
      const { body: _body, ...meta } = golden.expected
      expect({
        modelId: t.modelId,
        toolNames: Object.fromEntries(t.toolNames),
        thinking: t.thinking,
        ignored: t.ignored,
        droppedServerTools: t.droppedServerTools,
        trimmedTurns: t.trimmedTurns,
      }).toEqual(meta)
      expect(checkKiroRequest(t.body)).toEqual([])
    })
  }
})
