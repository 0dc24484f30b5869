import { describe, expect, it } from 'vitest'
import { openClient } from '../../src/cli/open-client.js'
import { MemoryState } from '../../src/state/memory.js'

describe('openClient with a shared state', () => {
  it('keeps the accounts of an accounts file as the pool on that state', async () => {
    const state = new MemoryState()
    const opened = await openClient({
      simulate: false,
      env: { HOME: '/nonexistent-home' },
      client: {
        accounts: [
          { id: 'alice', credentials: { accessToken: 'alice-access-token-01' } },
          { id: 'bob', credentials: { accessToken: 'bob-access-token-0002' } },
        ],
      },
      state,
    })
    try {
      const ids = (await opened.client.accounts.list()).map((account) => account.id)
      expect(ids.sort()).toEqual(['alice', 'bob'])
    } finally {
      await opened.close()
    }
  })

  it('makes the one login the default account of a pool on the state when there is no accounts file', async () => {
    const opened = await openClient({ simulate: true, state: new MemoryState() })
    try {
      const ids = (await opened.client.accounts.list()).map((account) => account.id)
      expect(ids).toEqual(['default'])
    } finally {
      await opened.close()
    }
  })
})
