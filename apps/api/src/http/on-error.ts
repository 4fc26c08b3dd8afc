import type { Context } from 'hono'
import type { Logger } from 'pino'

import { ApiError } from './api-error.js'

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  503: 'Service Unavailable',
  500: 'Internal Server Error',
}

/** SQLSTATE classes and socket codes that mean "the database is not there right now". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
  '53300',
])

/** Whether an error from pg means the database is down rather than that the query was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code
  if (code && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true

  const message = error instanceof Error ? error.message : ''
  return /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/i.test(
    message,
  )
}

/**
 * SQLSTATEs for text the database cannot store (a NUL, say). Parameters are checked for these
 * before any query; this is the backstop for one that slips through, which is still the
 * client's input and not a fault of the server.
 */
const UNSTORABLE_TEXT_CODES = new Set(['22021', '22P05'])

/**
 * The one place where errors become responses. No stack trace ever leaves the process. A 503
 * is logged at warn without a stack: an outage is not a bug, and every request during one
 * fails the same way. Anything else that fails is a bug: error, with the stack.
 */
export function createErrorHandler(logger: Logger) {
  return function onError(error: Error, c: Context): Response {
    const problem = toProblem(error)
    if (problem.status === 503) {
      // Not under `err`, whose serializer would add the stack back.
      const cause = { type: error.name, code: (error as { code?: unknown }).code }
      logger.warn(
        { cause: { ...cause, message: error.message }, path: c.req.path },
        'database unavailable',
      )
    } else if (problem.status >= 500) {
      logger.error({ err: error, path: c.req.path }, 'request failed')
    }

    return c.body(JSON.stringify(problem), problem.status as 500, {
      'content-type': 'application/problem+json',
    })
  }
}

export function toProblem(error: unknown): Record<string, unknown> & { status: number } {
  const code = (error as { code?: unknown } | undefined)?.code
  if (typeof code === 'string' && UNSTORABLE_TEXT_CODES.has(code)) {
    const detail = 'a parameter holds a character the database cannot store, such as NUL'
    return toProblem(new ApiError(400, 'invalid_parameter', detail, undefined, { cause: error }))
  }
  if (error instanceof ApiError) {
    return {
      type: 'about:blank',
      title: TITLES[error.status] ?? 'Error',
      status: error.status,
      code: error.code,
      detail: error.message,
      ...(error.param ? { param: error.param } : {}),
    }
  }
  if (isDatabaseUnavailable(error)) {
    return {
      type: 'about:blank',
      title: TITLES[503],
      status: 503,
      code: 'database_unavailable',
      detail: 'the database is not reachable; try again shortly',
    }
  }
  return {
    type: 'about:blank',
    title: TITLES[500],
    status: 500,
    code: 'internal_error',
    detail: 'an unexpected error occurred',
  }
}
