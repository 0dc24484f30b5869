/**
 * The official `@aws/codewhisperer-streaming-client` (the IDE's Smithy-generated SDK) pointed at the
 * simulator with a static bearer token: restJson1, `POST /generateAssistantResponse`, the same path
 * and body the simulator checks for every client.
 */
import {
  CodeWhispererStreamingClient,
  GenerateAssistantResponseCommand,
  type GenerateAssistantResponseCommandInput,
} from '@aws/codewhisperer-streaming-client'

/** A runner that streams one response and returns the number of events, or why it cannot run. */
export async function createOfficialRunner(
  url: string,
  body: unknown,
): Promise<{ run: () => Promise<number>; itemName: string } | { error: string }> {
  // The SDK warns once on stderr that its 2027 releases will need Node 22; it is noise in a report.
  Object.assign(process.env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' })
  const client = new CodeWhispererStreamingClient({
    endpoint: url,
    region: 'us-east-1',
    token: { token: 'bench-token' },
    maxAttempts: 1,
  })
  const input = body as GenerateAssistantResponseCommandInput
  const run = async () => {
    const output = await client.send(new GenerateAssistantResponseCommand(input))
    const stream = output.generateAssistantResponseResponse
    if (!stream) throw new Error('official client: no event stream in the output')
    let events = 0
    for await (const _event of stream) events++
    return events
  }
  try {
    // One request up front: a failure here is reported instead of measured.
    await run()
    return { run, itemName: 'events' }
  } catch (error) {
    return { error: (error as Error).message }
  }
}
