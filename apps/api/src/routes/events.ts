import { renderEventJson, toEventUuid } from '@historian/envelope'
import {
  CausationLimitError,
  encodeCursor,
  findEvent,
  listAncestors,
  listDescendants,
  listEvents,
  type CausationNode,
  type EventRow,
} from '@historian/queries'
import { Hono, type Context } from 'hono'

import type { ApiDeps } from '../deps.js'
import { badParameter, notFound } from '../http/api-error.js'
import { jsonArray, jsonText } from '../http/json-response.js'
import { nextLink } from '../http/next-link.js'
import { parseQuery } from '../http/parse-query.js'
import { pathId } from '../http/path-id.js'
import { renderCausationTree } from '../render/render-causation-tree.js'
import { ancestorsQuerySchema, descendantsQuerySchema } from '../schemas/causation-query.js'
import { eventsQuerySchema } from '../schemas/events-query.js'

/** `GET /events` and everything below `/events/{id}` (DESIGN section 6). */
export function eventRoutes(deps: ApiDeps): Hono {
  const app = new Hono()
  const eventsQuery = eventsQuerySchema(deps.config)
  const descendantsQuery = descendantsQuerySchema(deps.config)
  const ancestorsQuery = ancestorsQuerySchema(deps.config)

  app.get('/events', async (c) => {
    const query = parseQuery(c, eventsQuery)
    const filter = {
      workflowId: query.workflow_id,
      correlationId: query.correlation_id,
      eventType: query.event_type,
      routingKey: query.routing_key,
      agent: query.agent,
      sessionId: query.session_id,
      source: query.source,
      startTime: query.start_time ?? query.since,
      endTime: query.end_time ?? query.until,
    }

    const page = await listEvents(deps.db, filter, query)

    const headers = page.next ? nextLink(c, encodeCursor(page.next)) : {}
    return jsonText(c, jsonArray(page.rows.map((row) => renderEventJson(row))), headers)
  })

  // The live stream owns /events/stream; an id route must not answer for it.
  app.get('/events/:id', async (c, next) => {
    if (c.req.param('id') === 'stream') return next()
    const row = await findOrFail(deps, c)
    return jsonText(c, renderEventJson(row))
  })

  app.get('/events/:id/raw', async (c) => {
    const row = await findOrFail(deps, c)
    return c.body(row.body, 200, { 'content-type': 'application/json' })
  })

  app.get('/events/:id/descendants', async (c) => {
    const query = parseQuery(c, descendantsQuery)
    const root = await findOrFail(deps, c)

    const nodes = await walk(() => listDescendants(deps.db, root.event_id, query.max_depth))

    if (query.format === 'tree') return jsonText(c, renderCausationTree(root, nodes))
    return jsonText(c, renderWithDepth(nodes))
  })

  app.get('/events/:id/ancestors', async (c) => {
    const query = parseQuery(c, ancestorsQuery)
    const start = await findOrFail(deps, c)

    const nodes = await walk(() => listAncestors(deps.db, start, query.max_depth))

    return jsonText(c, renderWithDepth(nodes))
  })

  return app
}

/** The event named by the path, by UUID or by the original text of a non-UUID id. */
async function findOrFail(deps: ApiDeps, c: Context): Promise<EventRow> {
  const id = pathId(c, 'id')
  const row = await findEvent(deps.db, toEventUuid(id).id)
  if (!row) throw notFound(`event ${JSON.stringify(id)}`)
  return row
}

async function walk(run: () => Promise<CausationNode[]>): Promise<CausationNode[]> {
  try {
    return await run()
  } catch (error) {
    if (!(error instanceof CausationLimitError)) throw error
    throw badParameter('max_depth', `max_depth: ${error.message}; lower it`)
  }
}

function renderWithDepth(nodes: readonly CausationNode[]): string {
  return jsonArray(nodes.map((node) => renderEventJson(node.row, { depth: String(node.depth) })))
}
