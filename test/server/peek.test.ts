import { describe, expect, it } from 'vitest'
import { peekFirst } from '../../src/server/peek.js'

function source<T>(items: T[], failAt?: number) {
  const state = { returned: false, pulled: 0 }
  const iterable: AsyncIterable<T> = {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        if (failAt === state.pulled) throw new Error(`failed at ${failAt}`)
        const value = items[state.pulled++]
        return value === undefined ? { done: true, value: undefined } : { done: false, value }
      },
      return: async () => {
        state.returned = true
        return { done: true, value: undefined }
      },
    }),
  }
  return { iterable, state }
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of iterable) out.push(item)
  return out
}

describe('peekFirst', () => {
  it('pulls only the first item, then replays the whole sequence', async () => {
    const { iterable, state } = source([1, 2, 3])
    const peeked = await peekFirst(iterable)
    expect(state.pulled).toBe(1)
    expect(peeked.empty).toBe(false)
    expect(await collect(peeked.all)).toEqual([1, 2, 3])
  })

  it('rejects with what the source throws before its first item', async () => {
    const { iterable } = source([1], 0)
    await expect(peekFirst(iterable)).rejects.toThrow('failed at 0')
  })

  it('reports a later failure to the hook and still throws it to the consumer', async () => {
    const { iterable } = source([1, 2, 3], 2)
    const seen: unknown[] = []
    const peeked = await peekFirst(iterable, (error) => seen.push(error))
    await expect(collect(peeked.all)).rejects.toThrow('failed at 2')
    expect(seen).toHaveLength(1)
  })

  it('passes a break on to the source, so the upstream request is cancelled', async () => {
    const { iterable, state } = source([1, 2, 3])
    const peeked = await peekFirst(iterable)
    for await (const item of peeked.all) {
      expect(item).toBe(1)
      break
    }
    expect(state.returned).toBe(true)
  })

  it('says when the sequence was empty', async () => {
    const peeked = await peekFirst(source<number>([]).iterable)
    expect(peeked.empty).toBe(true)
    expect(await collect(peeked.all)).toEqual([])
  })
})
