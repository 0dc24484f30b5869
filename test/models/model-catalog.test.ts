import { describe, expect, it } from 'vitest'
import type { AccountModel } from '../../src/models/account-models.js'
import { ModelCatalog } from '../../src/models/model-catalog.js'
import { KIRO_MODELS } from '../../src/translate/models.js'

const opus: AccountModel = {
  id: 'claude-opus-4-6',
  kiroId: 'claude-opus-4.6',
  displayName: 'Opus',
  contextWindow: 400_000,
  maxOutputTokens: 20_000,
  nativeEffort: ['low', 'medium', 'high', 'max'],
}

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('ModelCatalog', () => {
  it('fetches once for concurrent callers, keeps the list an hour, then fetches again', async () => {
    let clock = 0
    let calls = 0
    const gate = deferred<AccountModel[]>()
    const catalog = new ModelCatalog({
      load: () => {
        calls++
        return calls === 1 ? gate.promise : Promise.resolve([opus])
      },
      now: () => clock,
    })
    const lists = Promise.all([catalog.list(), catalog.list(), catalog.list()])
    gate.resolve([opus])
    for (const list of await lists) expect(list).toEqual({ models: [opus], source: 'kiro' })
    expect(calls).toBe(1)
    clock = 3_599_999
    await catalog.list()
    expect(calls).toBe(1)
    clock = 3_600_000
    await catalog.list()
    expect(calls).toBe(2)
  })

  it('falls back to the table when Kiro fails, and tries again only after the retry delay', async () => {
    let clock = 0
    let calls = 0
    const catalog = new ModelCatalog({
      load: async () => {
        calls++
        if (calls === 1) throw new Error('down')
        return [opus]
      },
      now: () => clock,
    })
    const fallback = await catalog.list()
    expect(fallback.source).toBe('builtin')
    expect(fallback.models.map((m) => m.kiroId)).toEqual(KIRO_MODELS.map((m) => m.kiroId))
    clock = 299_999
    expect((await catalog.list()).source).toBe('builtin')
    expect(calls).toBe(1)
    clock = 300_000
    expect(await catalog.list()).toEqual({ models: [opus], source: 'kiro' })
  })

  it('keeps serving the last fetched list when a refresh fails; an empty answer counts as a failure', async () => {
    let clock = 0
    const answers: Array<AccountModel[] | Error> = [[opus], new Error('down'), []]
    const catalog = new ModelCatalog({
      load: async () => {
        const next = answers.shift() ?? []
        if (next instanceof Error) throw next
        return next
      },
      now: () => clock,
    })
    await catalog.list()
    clock = 4_000_000
    expect(await catalog.list()).toEqual({ models: [opus], source: 'kiro' })
    clock = 9_000_000
    expect(await catalog.list()).toEqual({ models: [opus], source: 'kiro' })
  })

  it('gives the translator the account limits of fetched models only', async () => {
    const catalog = new ModelCatalog({ load: async () => [opus] })
    expect(catalog.limits('claude-opus-4.6')).toBeUndefined()
    await catalog.list()
    expect(catalog.limits('claude-opus-4.6')).toEqual({ contextWindow: 400_000, maxOutputTokens: 20_000 })
    expect(catalog.limits('claude-sonnet-4.5')).toBeUndefined()
  })

  it("a caller's abort rejects that caller only", async () => {
    const gate = deferred<AccountModel[]>()
    const catalog = new ModelCatalog({ load: () => gate.promise })
    const controller = new AbortController()
    const aborted = catalog.list(controller.signal)
    const other = catalog.list()
    controller.abort()
    await expect(aborted).rejects.toMatchObject({ name: 'APIUserAbortError' })
    gate.resolve([opus])
    expect((await other).source).toBe('kiro')
  })
})
