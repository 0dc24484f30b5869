// Stands in for the `kiro-client/testing` entry. In your project:
//   import { createKiroSimulator } from 'kiro-client/testing'
export { createKiroSimulator } from '../src/testing/index.js'
