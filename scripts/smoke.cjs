// Loads the built package through its exports map with `require`, as a CommonJS user would.
const assert = require('node:assert/strict')
const kiro = require('kiro-client')

assert.equal(typeof kiro.encodeEventStreamMessage, 'function')
assert.equal(typeof kiro.KiroError, 'function')
console.log('smoke (require): ok')
