// Counts what each entry of the built package exports: runtime values (from the ESM build) and all
// names, types included (from the built .d.ts). Run `npm run build` first.
//   node scripts/count-exports.mjs [--json]
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import ts from 'typescript'

const root = new URL('../', import.meta.url)
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'))

function typeNames(dtsFile) {
  const program = ts.createProgram([dtsFile], { module: ts.ModuleKind.NodeNext, noEmit: true })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(dtsFile)
  const symbol = source && checker.getSymbolAtLocation(source)
  return symbol ? checker.getExportsOfModule(symbol).map((s) => s.name) : []
}

const rows = []
for (const [subpath, target] of Object.entries(pkg.exports)) {
  if (typeof target === 'string') continue
  const esm = new URL(target.import.default, root)
  const dts = new URL(target.import.types, root)
  const values = Object.keys(await import(pathToFileURL(esm.pathname).href))
  const names = typeNames(dts.pathname)
  rows.push({ entry: subpath === '.' ? 'kiro-client' : `kiro-client/${subpath.slice(2)}`, values, names })
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows.map((r) => ({ entry: r.entry, values: r.values, names: r.names })), null, 2))
} else {
  for (const r of rows) {
    console.log(`${r.entry.padEnd(24)} ${String(r.values.length).padStart(3)} runtime values, ${String(r.names.length).padStart(3)} names`)
  }
}
