import { APIError, restateError } from '../errors/api-error.js'
import { checkKiroRequest, type KiroShapeIssue } from '../translate/shape-checker.js'
import { SHAPE_RULES } from '../translate/shape-rule-ids.js'
import { utf8Length } from '../translate/size.js'
import type { Probe } from './bisect.js'
import { type BisectFinding, bisectRefusal, describeFinding } from './diagnose-400.js'
import type { ProbedBody } from './probe-bodies.js'

/** What the library found out about an "Improperly formed request." (docs/protocol.md §10). */
export interface ImproperlyFormedDiagnosis {
  /** The rules of Kiro's shape the body breaks, as far as the shape checker knows them. */
  issues: KiroShapeIssue[]
  /** What bisecting the conversation found (`diagnose400`), when the checker found nothing. */
  bisect?: BisectFinding
}

/** The error of a 400 "Improperly formed request.", with its diagnosis. */
export type DiagnosedError = APIError & { readonly diagnosis: ImproperlyFormedDiagnosis }

const MAX_ISSUES_SHOWN = 3
/** Enough to isolate one message in a conversation of a few thousand, and a tool among dozens. */
const DEFAULT_MAX_PROBES = 16

/** Kiro's catch-all 400, which names no field (docs/protocol.md §4.3). */
export function isImproperlyFormed(error: unknown): error is APIError {
  if (!(error instanceof APIError) || error.status !== 400) return false
  const body = error.error as { message?: unknown } | undefined
  return typeof body?.message === 'string' && /improperly formed request/i.test(body.message)
}

function issueText(issue: KiroShapeIssue): string {
  const where = issue.path === '' ? 'the body' : issue.path
  return `rule '${issue.rule}' at ${where}: ${issue.message} (it keeps out ${SHAPE_RULES[issue.rule].protects})`
}

export interface ExplainOptions {
  maxBodyBytes?: number | undefined
  /** Sends probe bodies: given when `diagnose400` is on. */
  probe?: Probe | undefined
  /** @defaultValue {@link DEFAULT_MAX_PROBES} */
  maxProbes?: number | undefined
}

/**
 * Explains a 400 "Improperly formed request." for the body that got it: the shape checker names
 * the rules the body breaks; when it finds none and a probe is given, the conversation is bisected
 * to the message (or tool) Kiro refuses. Returns a new error of the same class and fields, its
 * message saying what was found (paths and rule names only, never content) and `diagnosis` holding
 * it. Any other error comes back unchanged.
 */
export async function explainImproperlyFormed(
  error: unknown,
  bodyText: string,
  options: ExplainOptions = {},
): Promise<unknown> {
  if (!isImproperlyFormed(error)) return error
  let body: ProbedBody
  try {
    body = JSON.parse(bodyText) as ProbedBody
  } catch {
    return error
  }
  const issues = checkKiroRequest(body, {
    maxBodyBytes: options.maxBodyBytes,
    bodyBytes: utf8Length(bodyText),
  })
  const diagnosis: ImproperlyFormedDiagnosis = { issues }
  let said: string
  if (issues.length > 0) {
    const shown = issues.slice(0, MAX_ISSUES_SHOWN).map(issueText).join('; ')
    const more = issues.length > MAX_ISSUES_SHOWN ? ` (and ${issues.length - MAX_ISSUES_SHOWN} more)` : ''
    said = `The request breaks ${shown}${more}.`
  } else if (options.probe !== undefined) {
    diagnosis.bisect = await bisectRefusal(body, options.probe, options.maxProbes ?? DEFAULT_MAX_PROBES)
    said = `The shape checker finds no broken rule. ${describeFinding(diagnosis.bisect)}`
  } else {
    said =
      'The shape checker finds no broken rule: Kiro enforces one it does not know. Turn on diagnose400 ' +
      '(serve --diagnose-400) to find the message it refuses.'
  }
  const explained = restateError(
    error,
    `Kiro answered "Improperly formed request." (it names no field). ${said}`,
  )
  return Object.assign(explained, { diagnosis }) as DiagnosedError
}
