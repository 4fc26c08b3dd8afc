import type { Context } from 'hono'

import { badParameter } from './api-error.js'

/** The longest id a path may name; longer text cannot be an id any producer sent. */
export const MAX_PATH_ID_LENGTH = 1024

/**
 * A path parameter holding a workflow or session id, exactly as producers sent it. Postgres
 * text cannot hold `\u0000`, so such an id is refused (400) rather than failing the query.
 */
export function pathId(c: Context, name: string): string {
  const id = c.req.param(name) ?? ''
  if (id === '' || id.length > MAX_PATH_ID_LENGTH || id.includes('\u0000')) {
    throw badParameter(name, `${name}: must be 1 to ${MAX_PATH_ID_LENGTH} characters, no NUL`)
  }
  return id
}
