import { sql } from 'kysely'
import { Hono } from 'hono'

import type { ApiDeps } from '../deps.js'

/** `/health` says the process is alive; `/ready` also proves the database answers. */
export function healthRoutes(deps: ApiDeps): Hono {
  const app = new Hono()

  app.get('/health', (c) => c.json({ status: 'ok' }))

  app.get('/ready', async (c) => {
    try {
      await sql`SELECT 1`.execute(deps.db)
      return c.json({ status: 'ready', database: 'ok' })
    } catch {
      return c.json({ status: 'unavailable', database: 'unreachable' }, 503)
    }
  })

  app.get('/metrics', async (c) => {
    return c.body(await deps.registry.metrics(), 200, {
      'content-type': deps.registry.contentType,
    })
  })

  return app
}
