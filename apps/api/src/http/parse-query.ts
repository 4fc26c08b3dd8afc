import type { Context } from 'hono'
import type { z } from 'zod'

import { badParameter } from './api-error.js'

/**
 * Validates a request's query string against a zod schema. The first problem becomes a 400
 * naming its parameter; a parameter given twice is refused rather than silently picked.
 */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const input: Record<string, string> = {}
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (values.length > 1) throw badParameter(name, `${name}: give this parameter once`)
    input[name] = values[0]!
  }

  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data

  const issue = parsed.error.issues[0]!
  const param = String(issue.path[0] ?? 'query')
  throw badParameter(param, `${param}: ${issue.message}`)
}
