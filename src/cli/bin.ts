#!/usr/bin/env node
// The `kiro-client` command. The only file of src/ allowed to write to the console (via process streams).
import { once } from 'node:events'
import type { CliIo } from './io.js'
import { runCli } from './main.js'

const { NO_COLOR: noColor } = process.env

const io: CliIo = {
  out: (text) => {
    if (text !== '') process.stdout.write(text)
  },
  err: (text) => {
    if (text !== '') process.stderr.write(text)
  },
  color: process.stdout.isTTY === true && !noColor,
  env: process.env,
  readStdin: async () => {
    if (process.stdin.isTTY) return undefined
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  },
}

const untilStopped = () => Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')])

runCli(process.argv.slice(2), io, untilStopped).then(
  (code) => {
    // No process.exit(): it can cut off output still queued for a pipe. Every command closes what
    // it opened, so the process ends by itself.
    process.exitCode = code
  },
  (error: unknown) => {
    console.error(error)
    process.exitCode = 1
  },
)
