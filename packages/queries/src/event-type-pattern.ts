/** Limits that keep a pattern cheap to resolve; a longer list is a mistake, not a query. */
export const MAX_EVENT_TYPE_ALTERNATIVES = 50
export const MAX_EVENT_TYPE_LENGTH = 255

/**
 * A parsed `event_type` filter (DESIGN section 6): exact names and wildcard alternatives. The
 * same value answers in memory (`test`, used by the live stream) and in SQL (`exact` and `likes`,
 * used by the stored-event queries), so both sides agree on what matches.
 */
export interface EventTypePattern {
  /** The text it was parsed from. */
  readonly source: string
  /** Alternatives without wildcards, compared with `=`. */
  readonly exact: readonly string[]
  /** Wildcard alternatives as SQL `LIKE` patterns whose escape character is `\`. */
  readonly likes: readonly string[]
  /** Whether the pattern matches `type`. */
  test(type: string): boolean
}

/** Thrown for a pattern that cannot be used; the message says why, for a 400. */
export class EventTypePatternError extends Error {
  readonly code = 'EVENT_TYPE_PATTERN_INVALID'

  constructor(message: string) {
    super(message)
    this.name = 'EventTypePatternError'
  }
}

/**
 * Parses `event_type` filter text. A comma separates alternatives; `*` and `#` each match any
 * run of characters (dots included); a trailing `.` means "starts with".
 *
 * @example
 * const pattern = parseEventTypePattern('bmad.workflow.*,agent.')
 * pattern.test('bmad.workflow.phase.completed') // true
 * pattern.test('agent.scout.heartbeat') // true
 * pattern.test('agent') // false
 */
export function parseEventTypePattern(text: string): EventTypePattern {
  const alternatives = [...new Set(text.split(',').map((item) => item.trim()).filter(Boolean))]
  if (alternatives.length === 0) throw new EventTypePatternError('names no event type')
  if (alternatives.length > MAX_EVENT_TYPE_ALTERNATIVES) {
    throw new EventTypePatternError(`has more than ${MAX_EVENT_TYPE_ALTERNATIVES} alternatives`)
  }

  const exact: string[] = []
  const wildcards: string[][] = []
  for (const alternative of alternatives) {
    if (alternative.length > MAX_EVENT_TYPE_LENGTH) {
      throw new EventTypePatternError(`has an alternative longer than ${MAX_EVENT_TYPE_LENGTH}`)
    }
    const parts = wildcardParts(alternative)
    if (parts.length === 1) exact.push(alternative)
    else wildcards.push(parts)
  }

  const exactSet = new Set(exact)
  const regexes = wildcards.map(toRegExp)

  return {
    source: text,
    exact,
    likes: wildcards.map(toLike),
    test: (type) => exactSet.has(type) || regexes.some((regex) => regex.test(type)),
  }
}

/** The literal runs between wildcards: one part means no wildcard at all. */
function wildcardParts(alternative: string): string[] {
  const prefix = alternative.endsWith('.') ? `${alternative}*` : alternative
  return prefix.split(/[*#]/)
}

function toLike(parts: string[]): string {
  return parts.map((part) => part.replace(/[\\%_]/g, (char) => `\\${char}`)).join('%')
}

function toRegExp(parts: string[]): RegExp {
  const body = parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')
  return new RegExp(`^${body}$`, 's')
}
