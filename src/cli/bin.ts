#!/usr/bin/env node
// The `kiro-client` command. The only file of src/ allowed to write to the console (via process streams).
import { once } from 'node:events'
import { type CliIo, scrubbedIo } from './io.js'
import { runCli } from './main.js'
import { quietProcess } from './process-quirks.js'

quietProcess(process)

const { NO_COLOR: noColor } = process.env

const io: CliIo = scrubbedIo({
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
})

const untilStopped = () => Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')])

runCli(process.argv.slice(2), io, untilStopped).then(
  (code) => {
    // No process.exit(): it can cut off output still queued for a pipe. Every command closes what
    // it opened, so the process ends by itself.
    process.exitCode = code
    // serve closes what it opened too, but a socket held by a dependency (undici's tunnel to an
    // outbound proxy that never answered the CONNECT, which an abort does not end) would keep a
    // stopped server alive for minutes. Once stopped, it gets a moment to flush its last log
    // lines, then exits anyway; the timer does not keep the process alive by itself.
    if (process.argv[2] === 'serve') setTimeout(() => process.exit(code), 2_000).unref()
  },
  (error: unknown) => {
    // Not a mistake of the user's and not a failure the commands know how to explain: one line,
    // scrubbed, no stack (it would be noise to a user, and could quote data).
    const name = error instanceof Error ? error.name : 'Error'
    const message = error instanceof Error ? error.message : String(error)
    io.err(`kiro-client: unexpected ${name}: ${message}\n`)
    process.exitCode = 1
  },
)
