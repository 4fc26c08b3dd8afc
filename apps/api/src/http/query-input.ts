import { badParameter } from './api-error.js'

/**
 * The query string as one value per name, before any schema reads it. A parameter given twice
 * is refused rather than silently picked, and so is a NUL character anywhere: PostgreSQL text
 * cannot hold one, so it could only ever fail the query (a 500) instead of matching nothing.
 *
 * @throws ApiError 400 naming the parameter.
 */
export function queryInput(params: URLSearchParams): Record<string, string> {
  const input: Record<string, string> = {}
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name)
    if (values.length > 1) throw badParameter(name, `${name}: give this parameter once`)

    const value = values[0] as string
    if (name.includes('\u0000') || value.includes('\u0000')) {
      throw badParameter(name, `${name}: must not contain a NUL character`)
    }
    input[name] = value
  }
  return input
}
