import { describe, expect, it } from 'vitest'
import { EventQueue } from '../../src/stream/event-queue.js'

describe('EventQueue.takeQueued', () => {
  it('takes everything queued when no weight is given, then nothing', () => {
    const queue = new EventQueue<string>()
    for (const value of ['a', 'b', 'c']) queue.push(value)
    expect(queue.takeQueued()).toEqual(['a', 'b', 'c'])
    expect(queue.takeQueued()).toEqual([])
  })

  it('stops once the values taken reach the weight, and leaves the rest in order for the next read', async () => {
    const queue = new EventQueue<string>()
    for (const value of ['aaaa', 'bbbb', 'cccc', 'dd', 'e']) queue.push(value)
    await expect(queue.next()).resolves.toEqual({ value: 'aaaa', done: false })
    expect(queue.takeQueued((value) => value.length, 6)).toEqual(['bbbb', 'cccc'])
    await expect(queue.next()).resolves.toEqual({ value: 'dd', done: false })
    expect(queue.takeQueued((value) => value.length, 100)).toEqual(['e'])
    queue.close()
    await expect(queue.next()).resolves.toEqual({ value: undefined, done: true })
  })

  it('takes one value even when it alone weighs more than the limit', () => {
    const queue = new EventQueue<string>()
    queue.push('x'.repeat(10))
    queue.push('y')
    expect(queue.takeQueued((value) => value.length, 4)).toEqual(['x'.repeat(10)])
    expect(queue.takeQueued((value) => value.length, 4)).toEqual(['y'])
  })
})

describe('EventQueue.poll', () => {
  it('takes what next() would resolve with, in the same order, and nothing once the queue is empty', async () => {
    const polled = new EventQueue<string>()
    const awaited = new EventQueue<string>()
    for (const queue of [polled, awaited]) for (const value of ['a', 'b', 'c']) queue.push(value)
    expect(polled.poll()).toEqual(await awaited.next())
    expect(await polled.next()).toEqual(await awaited.next())
    expect(polled.poll()).toEqual(await awaited.next())
    expect(polled.poll()).toBeUndefined()
    polled.push('d')
    expect(polled.poll()).toEqual({ value: 'd', done: false })
  })

  it('leaves the end and the failure to next(), after the values queued before them', async () => {
    const queue = new EventQueue<string>()
    queue.push('a')
    queue.fail(new Error('upstream failed'))
    expect(queue.poll()).toEqual({ value: 'a', done: false })
    expect(queue.poll()).toBeUndefined()
    await expect(queue.next()).rejects.toThrow('upstream failed')
    expect(queue.poll()).toBeUndefined()
    expect(await queue.next()).toEqual({ value: undefined, done: true })
  })

  it('takes nothing a waiting read is owed', async () => {
    const queue = new EventQueue<string>()
    const waiting = queue.next()
    queue.push('a')
    expect(queue.poll()).toBeUndefined()
    expect(await waiting).toEqual({ value: 'a', done: false })
  })
})
