import { BadRequestError } from '../errors/api-error.js'

/** One entry of Anthropic's model list (`GET /v1/models`). */
export interface ModelInfo {
  type: 'model'
  id: string
  display_name: string
  created_at: string
}

/** Anthropic's list shape (docs/compatibility.md §5.1). */
export interface ModelPage {
  data: ModelInfo[]
  has_more: boolean
  first_id: string | null
  last_id: string | null
}

/** Anthropic's default and maximum page sizes for `GET /v1/models`. */
const DEFAULT_LIMIT = 20
const MAX_LIMIT = 1000

/**
 * Applies Anthropic's pagination query (`limit`, `after_id`, `before_id`) to a full model list.
 * Claude Code asks for `?limit=1000`; the SDK's auto-pagination follows `after_id`. A bad `limit`
 * throws `BadRequestError`.
 */
export function pageOfModels(models: readonly ModelInfo[], query: URLSearchParams): ModelPage {
  const limit = parseLimit(query.get('limit'))
  const afterId = query.get('after_id')
  const beforeId = query.get('before_id')
  let start = 0
  let end = models.length
  if (afterId !== null) {
    const at = models.findIndex((model) => model.id === afterId)
    start = at === -1 ? models.length : at + 1
  }
  if (beforeId !== null) {
    const at = models.findIndex((model) => model.id === beforeId)
    end = at === -1 ? 0 : at
    // Paging backwards takes the entries just before the cursor.
    start = Math.max(start, end - limit)
  }
  const data = models.slice(start, Math.min(end, start + limit))
  const hasMore = beforeId !== null ? start > 0 : start + data.length < end
  return {
    data,
    has_more: hasMore,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
  }
}

function parseLimit(raw: string | null): number {
  if (raw === null) return DEFAULT_LIMIT
  const parsed = Number(raw)
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > MAX_LIMIT) {
    throw new BadRequestError(
      `limit: Input should be an integer from 1 to ${MAX_LIMIT}, got ${JSON.stringify(raw)}.`,
    )
  }
  return parsed
}
