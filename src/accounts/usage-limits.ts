/** One resource of a `GetUsageLimits` answer (docs/protocol.md §1.6), in plain numbers. */
interface UsageBreakdown {
  /** `CREDIT`, `AGENTIC_REQUEST`, `SPEC`, `VIBE`. */
  resourceType: string
  used: number
  limit: number
  unit?: string
  /** Ms since the epoch. */
  resetsAt?: number
  overage?: UsageOverage
  freeTrial?: FreeTrial
}

interface UsageOverage {
  /** Overage billing is switched on for the account. */
  enabled: boolean
  /** The plan allows overage at all. */
  capable?: boolean
  /** Used beyond the limit. */
  used: number
  /** The most overage allowed beyond the limit. */
  cap?: number
  charges?: number
  rate?: number
  currency?: string
}

interface FreeTrial {
  status: string
  used: number
  limit: number
  /** Ms since the epoch. */
  expiresAt?: number
}

/** `GetUsageLimits` of one account, normalised (docs/accounts.md "Usage"). */
export interface AccountUsage {
  account: string
  plan?: { type?: string; title?: string }
  /**
   * The credits of the main resource (`CREDIT`, else the first listed): used and limit, with an
   * active free trial's added, and what is left of them (never below 0).
   */
  credits?: { used: number; limit: number; remaining: number; unit?: string }
  freeTrial?: FreeTrial
  overage: UsageOverage
  /** Nothing left to spend: no credits, and no overage room either. */
  exhausted: boolean
  /** When the allowance starts again, ms since the epoch. */
  resetsAt?: number
  daysUntilReset?: number
  breakdowns: UsageBreakdown[]
  /** When this was fetched, ms since the epoch. */
  fetchedAt: number
}

/** The fields read from an answer; every one may be missing or of the wrong type. */
interface Json {
  [field: string]: unknown
  resourceType?: unknown
  unit?: unknown
  nextDateReset?: unknown
  daysUntilReset?: unknown
  overageCharges?: unknown
  overageRate?: unknown
  currency?: unknown
  freeTrialInfo?: unknown
  freeTrialStatus?: unknown
  freeTrialExpiry?: unknown
  subscriptionInfo?: unknown
  overageConfiguration?: unknown
  overageStatus?: unknown
  overageCapability?: unknown
  usageBreakdownList?: unknown
  type?: unknown
  subscriptionTitle?: unknown
}

const object = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined

const string = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined

function number(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

/** The `*WithPrecision` field first: Kiro meters to 0.01 credit and rounds the plain field. */
const precise = (record: Json, name: string): number | undefined =>
  number(record[`${name}WithPrecision`]) ?? number(record[name])

/**
 * A timestamp as Kiro sends it: epoch seconds, often with a fraction or in E notation
 * (`1.7645472E9`), sometimes an ISO string. Numbers too large for seconds are taken as ms.
 */
export function parseKiroTimestamp(value: unknown): number | undefined {
  if (typeof value === 'string' && !/^\s*[\d.eE+-]+\s*$/.test(value)) {
    const ms = Date.parse(value)
    return Number.isFinite(ms) ? ms : undefined
  }
  const n = number(value)
  if (n === undefined || n <= 0) return undefined
  return Math.round(n < 1e11 ? n * 1000 : n)
}

function breakdownOf(
  record: Json,
  overageEnabled: boolean,
  overageCapable: boolean | undefined,
): UsageBreakdown {
  const out: UsageBreakdown = {
    resourceType: string(record.resourceType) ?? 'UNKNOWN',
    used: precise(record, 'currentUsage') ?? 0,
    limit: precise(record, 'usageLimit') ?? 0,
  }
  const unit = string(record.unit)
  if (unit !== undefined) out.unit = unit
  const resetsAt = parseKiroTimestamp(record.nextDateReset)
  if (resetsAt !== undefined) out.resetsAt = resetsAt
  const cap = precise(record, 'overageCap')
  const overage: UsageOverage = { enabled: overageEnabled, used: precise(record, 'currentOverages') ?? 0 }
  if (overageCapable !== undefined) overage.capable = overageCapable
  if (cap !== undefined) overage.cap = cap
  const charges = number(record.overageCharges)
  if (charges !== undefined) overage.charges = charges
  const rate = number(record.overageRate)
  if (rate !== undefined) overage.rate = rate
  const currency = string(record.currency)
  if (currency !== undefined) overage.currency = currency
  out.overage = overage
  const trial = object(record.freeTrialInfo)
  if (trial !== undefined) {
    const freeTrial: FreeTrial = {
      status: string(trial.freeTrialStatus) ?? 'UNKNOWN',
      used: precise(trial, 'currentUsage') ?? 0,
      limit: precise(trial, 'usageLimit') ?? 0,
    }
    const expiresAt = parseKiroTimestamp(trial.freeTrialExpiry)
    if (expiresAt !== undefined) freeTrial.expiresAt = expiresAt
    out.freeTrial = freeTrial
  }
  return out
}

/**
 * Normalises a `GetUsageLimits` body (docs/protocol.md §1.6). Remaining credit is the limit less
 * the use, plus an active free trial's limit less its use; with overage switched on, the account
 * is exhausted only once its use reaches the limit plus the overage cap.
 */
export function normalizeUsageLimits(body: unknown, account: string, now: number): AccountUsage {
  const root = object(body) ?? {}
  const subscription = object(root.subscriptionInfo)
  const overageEnabled = string(object(root.overageConfiguration)?.overageStatus) === 'ENABLED'
  const capability = string(subscription?.overageCapability)
  const overageCapable = capability === undefined ? undefined : capability === 'OVERAGE_CAPABLE'
  const list = Array.isArray(root.usageBreakdownList) ? root.usageBreakdownList : []
  const breakdowns = list.flatMap((entry) => {
    const record = object(entry)
    return record === undefined ? [] : [breakdownOf(record, overageEnabled, overageCapable)]
  })
  const main = breakdowns.find((entry) => entry.resourceType === 'CREDIT') ?? breakdowns[0]

  const usage: AccountUsage = {
    account,
    overage: main?.overage ?? {
      enabled: overageEnabled,
      used: 0,
      ...(overageCapable === undefined ? {} : { capable: overageCapable }),
    },
    exhausted: false,
    breakdowns,
    fetchedAt: now,
  }
  const type = string(subscription?.type)
  const title = string(subscription?.subscriptionTitle)
  if (type !== undefined || title !== undefined) {
    usage.plan = { ...(type === undefined ? {} : { type }), ...(title === undefined ? {} : { title }) }
  }
  const resetsAt = parseKiroTimestamp(root.nextDateReset) ?? main?.resetsAt
  if (resetsAt !== undefined) usage.resetsAt = resetsAt
  const days = number(root.daysUntilReset)
  if (days !== undefined) usage.daysUntilReset = days
  if (main !== undefined) {
    const trial = main.freeTrial
    const trialActive = trial?.status === 'ACTIVE' && (trial.expiresAt === undefined || trial.expiresAt > now)
    if (trial !== undefined) usage.freeTrial = trial
    const limit = main.limit + (trialActive ? trial.limit : 0)
    const used = main.used + (trialActive ? trial.used : 0)
    const remaining = Math.max(0, round2(limit - used))
    usage.credits = {
      used: round2(used),
      limit: round2(limit),
      remaining,
      ...(main.unit ? { unit: main.unit } : {}),
    }
    const overage = usage.overage
    usage.exhausted = overage.enabled
      ? overage.cap !== undefined && main.used >= main.limit + overage.cap
      : remaining <= 0 && limit > 0
  }
  return usage
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}
