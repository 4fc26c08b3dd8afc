import type { Context, Hono } from 'hono'
import { TrieRouter } from 'hono/router/trie-router'

import { ApiError } from './api-error.js'
import { toProblem } from './on-error.js'

/** Every route answers GET, and so HEAD; OPTIONS only as a CORS preflight. */
export const ALLOWED_METHODS = 'GET, HEAD'

/**
 * The answer for a request no route took: 405 with `Allow` when the path has a GET route (a
 * POST to `/events`, say), else 404. Hono itself answers both with its not-found handler.
 * Reads the app's routes when first needed, so it can be installed before they are added.
 */
export function createNotFoundHandler(app: Hono) {
  let router: TrieRouter<true> | undefined

  return function notFound(c: Context): Response {
    router ??= getRoutes(app)
    const path = c.req.path
    if (c.req.method !== 'GET' && router.match('GET', path)[0].length > 0) {
      const error = new ApiError(405, 'method_not_allowed', `${c.req.method} is not served here`)
      return problemResponse(c, error, { allow: ALLOWED_METHODS })
    }
    return problemResponse(c, new ApiError(404, 'not_found', `no route for ${path}`))
  }
}

function getRoutes(app: Hono): TrieRouter<true> {
  const router = new TrieRouter<true>()
  for (const route of app.routes) {
    if (route.method === 'GET') router.add('GET', route.path, true)
  }
  return router
}

function problemResponse(c: Context, error: ApiError, headers: Record<string, string> = {}) {
  const problem = toProblem(error)
  return c.body(JSON.stringify(problem), problem.status as 404, {
    'content-type': 'application/problem+json',
    ...headers,
  })
}
