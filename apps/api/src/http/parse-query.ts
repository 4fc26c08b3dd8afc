import type { Context } from 'hono'
import type { z } from 'zod'

import { badParameter } from './api-error.js'
import { queryInput } from './query-input.js'

/**
 * Validates a request's query string against a zod schema. The first problem becomes a 400
 * naming its parameter; so does a parameter given twice or holding a NUL (`queryInput`).
 */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const input = queryInput(new URL(c.req.url).searchParams)

  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data

  const issue = parsed.error.issues[0]!
  const param = String(issue.path[0] ?? 'query')
  throw badParameter(param, `${param}: ${issue.message}`)
}
