// The part of .ci/run beyond Node 20. Fetches Node 22 and 24, Bun and Deno from the npm registry
// (the `node`, `@oven/bun-<platform>-<arch>` and `deno` packages) into .tmp/runtimes, then:
// - on Node 22 and 24: the tests whose outcome can depend on the Node version (TEST_SET=node-versions,
//   listed in vitest.config.ts), the built package loaded with import and require, the built CLI;
// - on Node 20, 22, 24, Bun and Deno: scripts/smoke-runtime.mjs against the packed tarball, installed
//   into a scratch app as a user would install it.
// A runtime that cannot be obtained fails the run, loudly: nothing is skipped.
// Run after `npm run build`:   node scripts/ci-runtimes.mjs [--fresh]
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))
const runtimes = `${root}.tmp/runtimes`
const app = `${root}.tmp/smoke-app`
const fresh = process.argv.includes('--fresh')
const bunPackage = `@oven/bun-${process.platform}-${process.arch === 'arm64' ? 'aarch64' : process.arch}`

const RUNTIMES = [
  { name: 'Node 22', dir: 'node22', spec: 'node@22', bin: 'node_modules/node/bin/node' },
  { name: 'Node 24', dir: 'node24', spec: 'node@24', bin: 'node_modules/node/bin/node' },
  { name: 'Bun', dir: 'bun', spec: bunPackage, bin: `node_modules/${bunPackage}/bin/bun` },
  { name: 'Deno', dir: 'deno', spec: 'deno', bin: 'node_modules/.bin/deno' },
]

/** Runs a command with inherited output; resolves with its exit code (or a spawn error's message). */
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: root, ...options })
    child.on('error', (error) => resolve(error.message))
    child.on('close', (code, signal) => resolve(code ?? signal))
  })
}

const results = []
async function step(name, command, args, options) {
  process.stdout.write(`\n== ${name}\n`)
  const started = performance.now()
  const outcome = await run(command, args, options)
  const seconds = (performance.now() - started) / 1000
  results.push({ name, ok: outcome === 0, detail: outcome === 0 ? '' : `exit ${outcome}`, seconds })
  return outcome === 0
}

function loud(message) {
  const bar = '!'.repeat(100)
  process.stderr.write(`\n${bar}\n!! ${message}\n${bar}\n\n`)
}

// 1. The runtimes, installed side by side (network-bound: in parallel).
await mkdir(runtimes, { recursive: true })
const installed = await Promise.all(
  RUNTIMES.map(async (runtime) => {
    const dir = `${runtimes}/${runtime.dir}`
    const bin = `${dir}/${runtime.bin}`
    if (fresh || !existsSync(bin)) {
      await rm(dir, { recursive: true, force: true })
      await mkdir(dir, { recursive: true })
      const npmArgs = ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund']
      await run('npm', [...npmArgs, '--loglevel=error', runtime.spec])
    }
    const usable = existsSync(bin) && (await run(bin, ['--version'], { stdio: 'ignore' })) === 0
    if (!usable) {
      loud(`${runtime.name} could not be obtained from npm (${runtime.spec}, expected ${bin}): CI FAILS`)
      results.push({ name: `obtain ${runtime.name}`, ok: false, detail: `npm install ${runtime.spec}`, seconds: 0 })
    }
    return { ...runtime, bin: usable ? bin : undefined }
  }),
)
const byName = Object.fromEntries(installed.map((runtime) => [runtime.name, runtime]))

// 2. The packed tarball, installed into a scratch app with its runtime dependencies.
await rm(app, { recursive: true, force: true })
await mkdir(app, { recursive: true })
await writeFile(`${app}/package.json`, `${JSON.stringify({ name: 'smoke-app', private: true, type: 'module' })}\n`)
await step('pack the package', 'npm', ['pack', '--pack-destination', app, '--ignore-scripts', '--silent'])
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'))
await step('install the tarball into a scratch app', 'npm', [
  'install',
  '--no-audit',
  '--no-fund',
  '--loglevel=error',
  `./kiro-client-${version}.tgz`,
], { cwd: app })
await copyFile(`${root}scripts/smoke-runtime.mjs`, `${app}/smoke-runtime.mjs`)

// 3. Node 22 and 24: the version-sensitive tests and the built package.
for (const name of ['Node 22', 'Node 24']) {
  const { bin } = byName[name]
  if (bin === undefined) continue
  const env = { ...process.env, CI: '1', TEST_SET: 'node-versions' }
  await step(`${name}: version-sensitive tests`, bin, ['node_modules/vitest/vitest.mjs', 'run'], { env })
  await step(`${name}: built package (import)`, bin, ['scripts/smoke.mjs'])
  await step(`${name}: built package (require)`, bin, ['scripts/smoke.cjs'])
  await step(`${name}: built CLI demo`, bin, ['dist/cli.js', 'demo'], { stdio: ['ignore', 'ignore', 'inherit'] })
}

// 4. The same smoke on every runtime.
await step('Node 20: smoke', process.execPath, ['smoke-runtime.mjs'], { cwd: app })
for (const name of ['Node 22', 'Node 24', 'Bun']) {
  const { bin } = byName[name]
  if (bin !== undefined) await step(`${name}: smoke`, bin, ['smoke-runtime.mjs'], { cwd: app })
}
if (byName.Deno.bin !== undefined) {
  await step('Deno: smoke', byName.Deno.bin, ['run', '--allow-all', 'smoke-runtime.mjs'], { cwd: app })
}

process.stdout.write('\nother runtimes:\n')
for (const r of results) {
  process.stdout.write(`  ${r.ok ? 'ok    ' : 'FAILED'}  ${r.name}${r.detail ? ` (${r.detail})` : ''}  ${r.seconds.toFixed(1)} s\n`)
}
const failed = results.filter((r) => !r.ok)
if (failed.length > 0) {
  loud(`${failed.length} step(s) failed on other runtimes: ${failed.map((r) => r.name).join('; ')}`)
  process.exit(1)
}
