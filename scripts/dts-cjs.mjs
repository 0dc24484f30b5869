// Writes the CommonJS type declarations (`*.d.cts`) from the ESM ones tsup emitted (`*.d.ts`): the
// same declarations, with relative `.js` specifiers turned into `.cjs`. One declaration build
// instead of two (`npm run build` runs this after tsup).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const dist = new URL('../dist/', import.meta.url).pathname
let count = 0
for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue
  const file = join(entry.parentPath, entry.name)
  const text = readFileSync(file, 'utf8').replace(/(from\s+|import\s+)(['"])(\.{1,2}\/[^'"]*?)\.js\2/g, '$1$2$3.cjs$2')
  writeFileSync(file.replace(/\.d\.ts$/, '.d.cts'), text)
  count++
}
console.log(`dts-cjs: ${count} .d.cts files written`)
