import { Hono } from 'hono'

import type { ApiDeps } from './deps.js'
import { ApiError } from './http/api-error.js'
import { createErrorHandler, toProblem } from './http/on-error.js'
import { eventRoutes } from './routes/events.js'
import { healthRoutes } from './routes/health.js'

/**
 * The whole HTTP surface of the API process, without a socket, so tests can call
 * `app.request()` directly. The WebSocket stream is attached to the server in `main.ts`.
 */
export function createApp(deps: ApiDeps): Hono {
  const app = new Hono()
  const prefix = deps.config.API_PREFIX

  app.onError(createErrorHandler(deps.logger.child({ component: 'api.http' })))
  app.notFound((c) => {
    const problem = toProblem(new ApiError(404, 'not_found', `no route for ${c.req.path}`))
    return c.body(JSON.stringify(problem), 404, { 'content-type': 'application/problem+json' })
  })

  app.route('/', healthRoutes(deps))
  app.route(prefix, eventRoutes(deps))

  return app
}
