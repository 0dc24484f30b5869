import { describe, expect, it } from 'vitest'
import { type Candidate, selectAccount } from '../../src/accounts/selection.js'
import type { AccountStatusRecord, PoolSnapshot } from '../../src/state/types.js'

const NOW = 1_000_000

function candidate(id: string, maxConcurrency = Number.POSITIVE_INFINITY, models?: string[]): Candidate {
  return { id, maxConcurrency, serves: (model) => models === undefined || models.includes(model) }
}

function snapshot(
  statuses: Record<string, Partial<AccountStatusRecord>> = {},
  inFlight: Record<string, number> = {},
): PoolSnapshot {
  return {
    statuses: new Map(
      Object.entries(statuses).map(([id, record]) => [id, { state: 'cooling', since: 0, ...record }]),
    ),
    inFlight: new Map(Object.entries(inFlight)),
  }
}

const pick = (index: number, sticky = false) => ({ kind: 'pick', index, sticky })

describe('selectAccount', () => {
  const three = [candidate('a', 2), candidate('b', 2), candidate('c', 2)]

  it('least-loaded: the account with the fewest requests in flight', () => {
    const result = selectAccount(
      three,
      snapshot({}, { a: 2, b: 1, c: 0 }),
      { modelId: 'm' },
      'least-loaded',
      0,
      -1,
      NOW,
    )
    expect(result).toEqual(pick(2))
  })

  it('least-loaded: idle accounts take turns through the cursor', () => {
    const idle = snapshot()
    expect(selectAccount(three, idle, { modelId: 'm' }, 'least-loaded', 0, -1, NOW)).toEqual(pick(0))
    expect(selectAccount(three, idle, { modelId: 'm' }, 'least-loaded', 1, -1, NOW)).toEqual(pick(1))
    expect(selectAccount(three, idle, { modelId: 'm' }, 'least-loaded', 2, -1, NOW)).toEqual(pick(2))
  })

  it('round-robin: the next usable account with room after the cursor', () => {
    const state = snapshot({ b: { until: NOW + 1 } }, { c: 2 })
    expect(selectAccount(three, state, { modelId: 'm' }, 'round-robin', 1, -1, NOW)).toEqual(pick(0))
  })

  it('sticky: the conversation keeps its account while it can serve', () => {
    const state = snapshot({}, { b: 1 })
    expect(selectAccount(three, state, { modelId: 'm' }, 'sticky', 0, 1, NOW)).toEqual(pick(1, true))
  })

  it('sticky: falls back to the least loaded when its account is parked or full', () => {
    expect(
      selectAccount(
        three,
        snapshot({ b: { until: NOW + 5 } }, { a: 1 }),
        { modelId: 'm' },
        'sticky',
        0,
        1,
        NOW,
      ),
    ).toEqual(pick(2))
    expect(selectAccount(three, snapshot({}, { a: 1, b: 2 }), { modelId: 'm' }, 'sticky', 0, 1, NOW)).toEqual(
      pick(2),
    )
  })

  it('skips parked, excluded, busy, unpinned accounts and those lacking the model', () => {
    const accounts = [
      candidate('a'),
      candidate('b', 1, ['other']),
      candidate('c'),
      candidate('d'),
      candidate('e'),
    ]
    const state = snapshot({ a: { state: 'suspended' } })
    const request = {
      modelId: 'm',
      exclude: new Set(['c']),
      busy: new Set(['d']),
      allowed: new Set(['a', 'b', 'c', 'd', 'e']),
    }
    expect(selectAccount(accounts, state, request, 'least-loaded', 0, -1, NOW)).toEqual(pick(4))
    expect(
      selectAccount(
        accounts,
        state,
        { ...request, allowed: new Set(['a', 'b', 'c']) },
        'least-loaded',
        0,
        -1,
        NOW,
      ),
    ).toEqual({
      kind: 'none',
    })
  })

  it('treats a status whose deadline passed as ready', () => {
    const state = snapshot({ a: { until: NOW } })
    expect(selectAccount([candidate('a')], state, { modelId: 'm' }, 'least-loaded', 0, -1, NOW)).toEqual(
      pick(0),
    )
  })

  it('says full when usable accounts exist but none has room, none when nothing can serve', () => {
    expect(
      selectAccount(three, snapshot({}, { a: 2, b: 2, c: 2 }), { modelId: 'm' }, 'sticky', 0, -1, NOW),
    ).toEqual({
      kind: 'full',
    })
    expect(
      selectAccount(
        three,
        snapshot({ a: { until: NOW + 1 }, b: { until: NOW + 1 }, c: { state: 'disabled' } }),
        { modelId: 'm' },
        'sticky',
        0,
        -1,
        NOW,
      ),
    ).toEqual({ kind: 'none' })
  })
})
