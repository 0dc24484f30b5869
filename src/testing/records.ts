import type { KiroShapeIssue } from '../translate/shape-checker.js'
import type { CompiledTurn } from './compile-turn.js'

/** What happened to a response; times are `performance.now()`, the clock an in-process benchmark uses. */
export interface RecordedResponse {
  status: number | undefined
  headersAt: number | undefined
  /** When each event-stream frame was written. */
  frameTimes: number[]
  endedAt: number | undefined
  outcome: 'pending' | 'complete' | 'stalled' | 'truncated' | 'reset' | 'client-closed'
}

/** One request the simulator received. Test data: headers are kept as sent, bearer token included. */
export interface RecordedRequest {
  seq: number
  kind:
    | 'generate'
    | 'models'
    | 'usage'
    | 'profiles'
    | 'mcp'
    | 'refresh-social'
    | 'refresh-idc'
    | 'refresh-external-idp'
    | 'unknown'
  method: string
  /** Path and query. */
  path: string
  /** Lower-case names. */
  headers: Record<string, string>
  body: string
  /** Its size in bytes, as received. */
  bodyBytes: number
  /** The body parsed as JSON; undefined when it was not JSON. */
  json: unknown
  receivedAt: number
  /** The `x-amzn-requestid` the simulator answered with. */
  requestId: string
  /**
   * Why the body was refused (answered 400): the shape checker's issues, or the `rejectBody`
   * option's reason (without a rule); empty when accepted.
   */
  shapeIssues: ReadonlyArray<Omit<KiroShapeIssue, 'rule'> & { rule?: KiroShapeIssue['rule'] }>
  response: RecordedResponse
}

/** A request as an adapter hands it to the core. */
export interface IncomingRequest {
  method: string
  /** Path and query, e.g. `/ListAvailableModels?origin=AI_EDITOR`. */
  path: string
  headers: Record<string, string>
  body: string
  /** The body's size in bytes, as received. */
  bodyBytes: number
}

/** What the core decided; the adapters play it. */
export type SimulatorReply =
  | { kind: 'json'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'turn'; turn: CompiledTurn; headers: Record<string, string> }

export function jsonReply(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): SimulatorReply {
  return {
    kind: 'json',
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }
}

/** A string member of a JSON object, or undefined. */
export function stringAt(value: unknown, key: string): string | undefined {
  const field =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
  return typeof field === 'string' ? field : undefined
}
