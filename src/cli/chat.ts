import type { KiroClient } from '../client/kiro-client.js'
import { APIError } from '../errors/api-error.js'
import { CredentialsError } from '../errors/credentials-error.js'
import { KiroError } from '../errors/kiro-error.js'
import type { MessageCreateParams } from '../types/anthropic-request.js'
import type { Message } from '../types/anthropic-response.js'
import { bold, type CliIo, dim } from './io.js'
import { loginHelp } from './login-help.js'
import { openClient } from './open-client.js'
import { ChatRenderer } from './render.js'

export interface ChatOptions {
  prompt: string
  model: string
  maxTokens: number
  system: string | undefined
  simulate: boolean
}

/** `kiro-client chat "prompt"`: one answer, streamed to the terminal as it arrives. */
export async function chat(io: CliIo, options: ChatOptions): Promise<number> {
  const opened = await openClient({ simulate: options.simulate })
  try {
    const params: MessageCreateParams = {
      model: options.model,
      max_tokens: options.maxTokens,
      messages: [{ role: 'user', content: options.prompt }],
      ...(options.system === undefined ? {} : { system: options.system }),
    }
    await streamAnswer(io, opened.client, params)
    return 0
  } catch (error) {
    return reportFailure(io, error, 'kiro-client chat --simulate "…"')
  } finally {
    await opened.close()
  }
}

/** Streams one answer to `io.out` after `label`, then a summary line; resolves to the final message. */
export async function streamAnswer(
  io: CliIo,
  client: KiroClient,
  params: MessageCreateParams,
  label = '',
): Promise<Message> {
  const renderer = new ChatRenderer({ dim: (text) => dim(io, text), bold: (text) => bold(io, text) })
  io.out(renderer.write(label))
  const started = performance.now()
  const stream = client.messages.stream(params)
  for await (const event of stream) io.out(renderer.push(event))
  const message = await stream.finalMessage()
  io.out(renderer.summary(message, performance.now() - started))
  return message
}

/** Prints a failure the way a user can act on it (`instead`: a command needing no account); the exit code. */
export function reportFailure(io: CliIo, error: unknown, instead: string): number {
  if (error instanceof CredentialsError) {
    io.err(loginHelp(error, instead))
  } else if (error instanceof APIError) {
    const status = error.status === undefined ? '' : ` ${error.status}`
    io.err(`\nerror${status} (${error.type}): ${error.message}\n`)
  } else if (KiroError.isInstance(error)) {
    io.err(`\nerror: ${error.message}\n`)
  } else {
    throw error
  }
  return 1
}
