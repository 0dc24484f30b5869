import { firstRefused, type Probe } from './bisect.js'
import { entryPath, type ProbedBody, prefixBody, toolAt, toolCount, userPositions } from './probe-bodies.js'

/** What bisecting a refused body found (docs/protocol.md §10). */
export type BisectFinding =
  /** The conversation is accepted up to `acceptedThrough` and refused once `refusedFrom` is in. */
  | { kind: 'messages'; acceptedThrough: string | undefined; refusedFrom: string; probes: number }
  /** The first message is refused with this tool declared and accepted without it. */
  | { kind: 'tool'; path: string; name: string; probes: number }
  /** The first message is refused even without tools: its own content (or the system prompt in it). */
  | { kind: 'first-message'; path: string; probes: number }
  /** The probes ran out before one message was isolated: the refusal lies in this range. */
  | { kind: 'range'; from: string; to: string; probes: number }
  /** A probe failed otherwise (throttled, network): the diagnosis stopped. */
  | { kind: 'stopped'; reason: string; probes: number }

/**
 * Finds what part of a refused body Kiro refuses, with shorter bodies: conversations cut after
 * each user message (binary search, so about log2(messages) probes), then, when even the first
 * message is refused, the same first message with fewer tools. Each probe is a real request,
 * cancelled as soon as Kiro accepts it (its answer is never read); at most `maxProbes` are sent.
 */
export async function bisectRefusal(
  body: ProbedBody,
  probe: Probe,
  maxProbes: number,
): Promise<BisectFinding> {
  let probes = 0
  const refused = async (candidate: ProbedBody): Promise<boolean> => {
    probes++
    return (await probe(JSON.stringify(candidate))) === 'refused'
  }
  try {
    const positions = userPositions(body)
    const at = (i: number) => positions[i] as number
    const found = await firstRefused(positions.length - 1, (i) => refused(prefixBody(body, at(i))), maxProbes)
    if (found.from !== found.to) {
      return {
        kind: 'range',
        from: entryPath(body, at(found.from)),
        to: entryPath(body, at(found.to)),
        probes,
      }
    }
    const j = found.from
    if (j > 0) {
      return {
        kind: 'messages',
        acceptedThrough: entryPath(body, at(j - 1)),
        refusedFrom: entryPath(body, at(j - 1) + 1),
        probes,
      }
    }
    const first = at(0)
    const tools = toolCount(body)
    if (tools > 0 && probes < maxProbes && !(await refused(prefixBody(body, first, 0)))) {
      const byTools = await firstRefused(
        tools - 1,
        (k) => refused(prefixBody(body, first, k + 1)),
        maxProbes - probes,
      )
      if (byTools.from === byTools.to) return { kind: 'tool', ...toolAt(body, byTools.from), probes }
      return {
        kind: 'range',
        from: toolAt(body, byTools.from).path,
        to: toolAt(body, byTools.to).path,
        probes,
      }
    }
    return { kind: 'first-message', path: entryPath(body, first), probes }
  } catch (error) {
    return { kind: 'stopped', reason: error instanceof Error ? error.message : String(error), probes }
  }
}

/** The finding in a sentence. */
export function describeFinding(finding: BisectFinding): string {
  const probes = `${finding.probes} probe${finding.probes === 1 ? '' : 's'}`
  switch (finding.kind) {
    case 'messages':
      return (
        `Bisecting with ${probes}: Kiro accepts the conversation through ${finding.acceptedThrough} and refuses it ` +
        `from ${finding.refusedFrom} on (that message or the user message after it holds what Kiro refuses).`
      )
    case 'tool':
      return `Bisecting with ${probes}: Kiro refuses the tool ${finding.name} (${finding.path}).`
    case 'first-message':
      return `Bisecting with ${probes}: Kiro refuses the first message itself (${finding.path}), which holds the system prompt.`
    case 'range':
      return `Bisecting with ${probes} (the limit): what Kiro refuses lies between ${finding.from} and ${finding.to}.`
    case 'stopped':
      return `Bisecting stopped after ${probes}: ${finding.reason}`
  }
}
