import { Hono } from 'hono'
import { cors } from 'hono/cors'

import type { ApiDeps } from './deps.js'
import { requireToken } from './http/auth.js'
import { createNotFoundHandler } from './http/not-found.js'
import { createErrorHandler } from './http/on-error.js'
import { agentRoutes } from './routes/agents.js'
import { correlationRoutes } from './routes/correlations.js'
import { eventRoutes } from './routes/events.js'
import { healthRoutes } from './routes/health.js'
import { docsRoutes, openApiRoutes } from './routes/openapi.js'
import { statsRoutes } from './routes/stats.js'
import { workflowRoutes } from './routes/workflows.js'
import { streamRoutes } from './stream/stream-route.js'

/**
 * The whole HTTP surface of the API process, without a socket, so tests can call
 * `app.request()` directly. The WebSocket stream is attached to the server in `main.ts`.
 */
export function createApp(deps: ApiDeps): Hono {
  const app = new Hono()
  const prefix = deps.config.API_PREFIX

  app.onError(createErrorHandler(deps.logger.child({ component: 'api.http' })))
  app.notFound(createNotFoundHandler(app))

  // CORS first, so a browser's preflight is answered without a token.
  const origins = deps.config.API_CORS_ORIGINS
  if (origins.length > 0) {
    const origin = origins.includes('*') ? '*' : origins
    // The API only reads; a preflight for anything else is refused by the browser.
    const allowMethods = ['GET', 'HEAD', 'OPTIONS']
    app.use(`${prefix}/*`, cors({ origin, allowMethods, exposeHeaders: ['Link'] }))
  }
  app.use(`${prefix}/*`, requireToken(deps.config))

  app.route('/', healthRoutes(deps))
  app.route('/', docsRoutes(deps))
  app.route(prefix, streamRoutes())
  app.route(prefix, eventRoutes(deps))
  app.route(prefix, correlationRoutes(deps))
  app.route(prefix, statsRoutes(deps))
  app.route(prefix, workflowRoutes(deps))
  app.route(prefix, agentRoutes(deps))
  app.route(prefix, openApiRoutes(deps))

  return app
}
