// Runs after tsup (`npm run build`). The package has one implementation, the CommonJS build, so that
// `import` and `require` give the same classes and no module is shipped twice. This writes:
// - the ES module entries: dist/<entry>.js re-exports, by name, what dist/<entry>.cjs exports;
// - the CommonJS declarations: each .d.ts copied to .d.cts, relative `.js` specifiers made `.cjs`;
// - dist/cli.js, the `bin`, which loads dist/cli.cjs;
// - at the end of each dist/<entry>.cjs, one loop that gives each exported class and function its
//   public name. The build minifies identifiers (see tsup.config.ts), so without it `KiroClient.name`
//   would be a letter, and `util.inspect` would print a thrown error as `BadRequestError [h]: …`.
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'

const dist = new URL('../dist/', import.meta.url).pathname
const require = createRequire(import.meta.url)
const files = readdirSync(dist, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => join(entry.parentPath, entry.name))

// Runs once when the entry loads: a few dozen property definitions, not one per function.
const NAME_EXPORTS =
  'for(const[k,v]of Object.entries(module.exports))' +
  'typeof v=="function"&&v.name!==k&&Object.defineProperty(v,"name",{value:k,configurable:true});'

let wrappers = 0
for (const file of files.filter((path) => path.endsWith('/index.cjs'))) {
  const names = Object.keys(require(file)).sort()
  const lines = [
    `// The ES module entry: the exports of ./index.cjs by name (${relative(dist, file)} is the one implementation).`,
    `import cjs from './index.cjs'`,
    '',
    `export const { ${names.join(', ')} } = cjs`,
    '',
  ]
  writeFileSync(file.replace(/\.cjs$/, '.js'), lines.join('\n'))
  writeFileSync(file, `${readFileSync(file, 'utf8')}\n${NAME_EXPORTS}\n`)
  wrappers++
}

let declarations = 0
for (const file of files.filter((path) => path.endsWith('.d.ts'))) {
  const text = readFileSync(file, 'utf8').replace(
    /(from\s+|import\s+)(['"])(\.{1,2}\/[^'"]*?)\.js\2/g,
    '$1$2$3.cjs$2',
  )
  writeFileSync(file.replace(/\.d\.ts$/, '.d.cts'), text)
  declarations++
}

writeFileSync(join(dist, 'cli.js'), "#!/usr/bin/env node\nimport './cli.cjs'\n")
chmodSync(join(dist, 'cli.js'), 0o755)
console.log(`esm-wrappers: ${wrappers} ES module entries, ${declarations} .d.cts files, dist/cli.js`)
