import { renderEventJson } from '@historian/envelope'
import { encodeCursor, listCorrelatedEvents } from '@historian/queries'
import { Hono } from 'hono'

import type { ApiDeps } from '../deps.js'
import { jsonArray, jsonText } from '../http/json-response.js'
import { nextLink } from '../http/next-link.js'
import { parseQuery } from '../http/parse-query.js'
import { pathId } from '../http/path-id.js'
import { correlationsQuerySchema } from '../schemas/correlations-query.js'

/** `GET /correlations/{id}`: every event sharing a chain or session id, oldest first. */
export function correlationRoutes(deps: ApiDeps): Hono {
  const app = new Hono()
  const correlationsQuery = correlationsQuerySchema(deps.config)

  app.get('/correlations/:id', async (c) => {
    const query = parseQuery(c, correlationsQuery)

    const page = await listCorrelatedEvents(deps.db, pathId(c, 'id'), query)

    const headers = page.next ? nextLink(c, encodeCursor(page.next)) : {}
    return jsonText(c, jsonArray(page.rows.map((row) => renderEventJson(row))), headers)
  })

  return app
}
