// Checks the built package (run `npm run build` first):
// - no source module is shipped twice: one build (CommonJS, the ES module entries re-export it)
//   with shared chunks, not copies;
// - every package dist/ imports at run time is a declared dependency or peer dependency, and every
//   declared dependency is imported by dist/ (otherwise it belongs in devDependencies).
import { existsSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'

const root = new URL('../', import.meta.url)
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'))
const dependencies = Object.keys(pkg.dependencies ?? {})
const peers = Object.keys(pkg.peerDependencies ?? {})
// Imported through a variable specifier (src/transport/proxy-fetch.ts), which the build cannot see.
const awaitingImport = new Set(['undici'])

const problems = []
const notes = []
const imported = new Set()
const packageName = (path) => path.split('/').slice(0, path.startsWith('@') ? 2 : 1).join('/')
const isBuiltin = (path) => path.startsWith('node:') || builtinModules.includes(path)

const formats = ['esm', 'cjs'].filter((format) => existsSync(new URL(`dist/metafile-${format}.json`, root)))
if (formats.length === 0) problems.push('no dist/metafile-*.json: run `npm run build` first')
for (const format of formats) {
  const meta = JSON.parse(readFileSync(new URL(`dist/metafile-${format}.json`, root), 'utf8'))
  const placed = new Map()
  for (const [output, info] of Object.entries(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(info.inputs)) {
      if (bytesInOutput === 0) continue
      placed.set(input, [...(placed.get(input) ?? []), output])
    }
    for (const { path, external } of info.imports) {
      if (!external) continue
      if (isBuiltin(path)) {
        if (!path.startsWith('node:')) problems.push(`${output} imports '${path}' without the node: prefix`)
        continue
      }
      imported.add(packageName(path))
    }
  }
  for (const [input, outputs] of placed) {
    if (outputs.length > 1) problems.push(`${format}: ${input} is shipped ${outputs.length} times: ${outputs.join(', ')}`)
  }
  notes.push(`${format}: ${placed.size} modules in ${Object.keys(meta.outputs).length} files, each once`)
}

for (const name of imported) {
  if (!dependencies.includes(name) && !peers.includes(name)) {
    problems.push(`dist/ imports '${name}', which is neither a dependency nor a peer dependency`)
  }
}
for (const name of dependencies) {
  if (imported.has(name)) {
    if (awaitingImport.has(name)) notes.push(`'${name}' is now imported by dist/: drop it from awaitingImport`)
  } else if (!awaitingImport.has(name)) {
    problems.push(`dependency '${name}' is never imported by dist/: move it to devDependencies`)
  }
}

for (const note of notes) console.log(note)
for (const problem of problems) console.error(`check-dist: ${problem}`)
if (problems.length > 0) process.exit(1)
console.log(`check-dist: ok (runtime imports: ${[...imported].sort().join(', ') || 'none'})`)
