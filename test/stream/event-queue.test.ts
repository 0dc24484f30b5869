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
