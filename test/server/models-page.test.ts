import { describe, expect, it } from 'vitest'
import { BadRequestError } from '../../src/errors/api-error.js'
import { type ModelInfo, pageOfModels } from '../../src/server/models-page.js'

const models: ModelInfo[] = ['a', 'b', 'c', 'd', 'e'].map((id) => ({
  type: 'model',
  id: `claude-${id}`,
  display_name: `Claude ${id.toUpperCase()}`,
  created_at: '2025-01-01T00:00:00Z',
}))
const ids = (page: { data: ModelInfo[] }) => page.data.map((model) => model.id)

describe('pageOfModels', () => {
  it('returns everything within the default limit, in the Anthropic list shape', () => {
    expect(pageOfModels(models, new URLSearchParams())).toEqual({
      data: models,
      has_more: false,
      first_id: 'claude-a',
      last_id: 'claude-e',
    })
  })

  it('honours limit and says there is more (Claude Code asks ?limit=1000)', () => {
    const page = pageOfModels(models, new URLSearchParams('limit=2'))
    expect(ids(page)).toEqual(['claude-a', 'claude-b'])
    expect(page.has_more).toBe(true)
    expect(pageOfModels(models, new URLSearchParams('limit=1000')).has_more).toBe(false)
  })

  it('pages forward with after_id until has_more is false', () => {
    const seen: string[] = []
    let query = new URLSearchParams('limit=2')
    for (;;) {
      const page = pageOfModels(models, query)
      seen.push(...ids(page))
      if (!page.has_more) break
      query = new URLSearchParams({ limit: '2', after_id: page.last_id! })
    }
    expect(seen).toEqual(models.map((model) => model.id))
  })

  it('pages backward with before_id', () => {
    const page = pageOfModels(models, new URLSearchParams('limit=2&before_id=claude-d'))
    expect(ids(page)).toEqual(['claude-b', 'claude-c'])
    expect(page.has_more).toBe(true)
  })

  it('gives an empty page with null ids past the end', () => {
    expect(pageOfModels(models, new URLSearchParams('after_id=claude-e'))).toEqual({
      data: [],
      has_more: false,
      first_id: null,
      last_id: null,
    })
  })

  it('rejects a limit that is not an integer from 1 to 1000, naming the field', () => {
    for (const limit of ['0', '1001', 'ten', '2.5']) {
      expect(() => pageOfModels(models, new URLSearchParams({ limit }))).toThrow(BadRequestError)
      expect(() => pageOfModels(models, new URLSearchParams({ limit }))).toThrow(/^limit: /)
    }
  })
})
