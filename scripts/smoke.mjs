// Loads the built package through its exports map with `import`, as a user would.
import assert from 'node:assert/strict'
import * as kiro from 'kiro-client'

assert.equal(typeof kiro.encodeEventStreamMessage, 'function')
assert.equal(typeof kiro.KiroError, 'function')
console.log('smoke (import): ok')
