import type { Config } from '@historian/config'
import { formatTimestamp } from '@historian/envelope'
import {
  decodeCursor,
  EventTypePatternError,
  parseEventTypePattern,
  type EventCursor,
  type EventTypePattern,
} from '@historian/queries'
import { z } from 'zod'

/** The building blocks of every query schema; each doubles as its OpenAPI description. */

/** A time filter: ISO 8601, read as UTC without a zone; normalised to microseconds. */
export const timeParam = z
  .string()
  .meta({
    format: 'date-time',
    description: 'ISO 8601 time; without a zone it is read as UTC. Up to 9 fractional digits.',
    examples: ['2026-03-02T14:03:11.482913Z'],
  })
  .transform((text, ctx): string => {
    try {
      return formatTimestamp(text)
    } catch {
      ctx.issues.push({ code: 'custom', input: text, message: 'must be an ISO 8601 time' })
      return z.NEVER
    }
  })

/** An exact-match text filter. */
export function textParam(description: string) {
  return z.string().min(1).max(1024).meta({ description })
}

export const eventTypeParam = z
  .string()
  .meta({
    description:
      'Exact event types or patterns, comma-separated: `*` or `#` match any run of characters, ' +
      'a trailing `.` means a prefix.',
    examples: ['bmad.workflow.*,agent.scout.'],
  })
  .transform((text, ctx): EventTypePattern => {
    try {
      return parseEventTypePattern(text)
    } catch (error) {
      const reason = error instanceof EventTypePatternError ? error.message : 'is not a pattern'
      ctx.issues.push({ code: 'custom', input: text, message: reason })
      return z.NEVER
    }
  })

export const afterParam = z
  .string()
  .meta({ description: 'Opaque cursor from the `Link: rel="next"` header of the previous page.' })
  .transform((text, ctx): EventCursor => {
    const cursor = decodeCursor(text)
    if (cursor) return cursor
    ctx.issues.push({ code: 'custom', input: text, message: 'is not a cursor from this API' })
    return z.NEVER
  })

/**
 * A whole number from `min` to `max`; each message names the bound. Read from the query with
 * `fromDigits`.
 */
export function integerParam(min: number, max: number) {
  // The integer check comes after the bounds, so that a number too large to be exact reports
  // the bound rather than the largest safe integer.
  return z
    .number({
      error: (issue) =>
        issue.code === 'invalid_type' ? 'must be a whole number in decimal digits' : undefined,
    })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .int()
}

/**
 * Reads a query value written in decimal digits only as a number for `schema`; anything else
 * reaches it as text and is refused. `Number()` alone would also take `0x10`, `1e1`, `+3` and
 * ` 1`, and read an empty value as 0.
 */
export function fromDigits<S extends z.ZodType>(schema: S) {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
    schema,
  )
}

export const offsetParam = fromDigits(integerParam(0, Number.MAX_SAFE_INTEGER).optional()).meta({
  description: 'Rows to skip (after `after`, if given). Prefer the cursor.',
})

export function limitParam(config: Pick<Config, 'API_DEFAULT_PAGE_SIZE' | 'API_MAX_PAGE_SIZE'>) {
  const fallback = Math.min(config.API_DEFAULT_PAGE_SIZE, config.API_MAX_PAGE_SIZE)
  return fromDigits(integerParam(1, config.API_MAX_PAGE_SIZE).default(fallback)).meta({
    description: 'Page size.',
  })
}

export function maxDepthParam(config: Pick<Config, 'API_MAX_CAUSATION_DEPTH'>) {
  const cap = config.API_MAX_CAUSATION_DEPTH
  return fromDigits(integerParam(1, cap).default(cap)).meta({
    description: 'How many causation levels to follow.',
  })
}

/**
 * Checks that an alias and the name it stands for are not both given with different values,
 * and reports the alias as the parameter at fault.
 */
export function noConflictingAlias(name: string, alias: string) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    if (value[name] !== undefined && value[alias] !== undefined && value[name] !== value[alias]) {
      ctx.addIssue({ code: 'custom', path: [alias], message: `is an alias of ${name}; give one` })
    }
  }
}
