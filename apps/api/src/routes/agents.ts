import type { Config } from '@historian/config'
import { renderEventJson } from '@historian/envelope'
import {
  encodeCursor,
  encodeProjectionCursor,
  findAgentSession,
  listAgentSessions,
  listEvents,
  type AgentSession,
} from '@historian/queries'
import { Hono, type Context } from 'hono'
import { z } from 'zod'

import type { ApiDeps } from '../deps.js'
import { notFound } from '../http/api-error.js'
import { jsonArray, jsonText } from '../http/json-response.js'
import { nextLink } from '../http/next-link.js'
import { parseQuery } from '../http/parse-query.js'
import { pathId } from '../http/path-id.js'
import { renderAgentSession } from '../render/render-agent-session.js'
import { eventPageQuerySchema } from '../schemas/event-page-query.js'
import { projectionAfterParam } from '../schemas/projection-after-param.js'
import {
  limitParam,
  noConflictingAlias,
  offsetParam,
  textParam,
} from '../schemas/query-params.js'

/** The query of `GET /agents`: filters, all of which must hold, and the page. */
export function agentsQuerySchema(config: Config) {
  return z
    .object({
      agent: textParam('Agent name, as in routing key `agent.<name>.…`.').optional(),
      agent_name: textParam('Alias of `agent`.').optional(),
      status: textParam('`active` or `ended`.').optional(),
      limit: limitParam(config),
      offset: offsetParam.optional(),
      after: projectionAfterParam.optional(),
    })
    .superRefine(noConflictingAlias('agent', 'agent_name'))
}

/** An agent session as the API returns it (times UTC with six fractional digits). */
export const AgentSessionView = z.object({
  session_id: z.string(),
  agent_name: z.string().nullable(),
  agent_type: z.string().nullable(),
  workflow_id: z.string().nullable(),
  status: z.string(),
  first_seen_at: z.string(),
  last_seen_at: z.string(),
  latest_checkpoint: z.string().nullable(),
  event_count: z.number().int(),
})

/**
 * `GET /agents`, `/agents/{session_id}` and `/agents/{session_id}/events` (DESIGN section 6),
 * read from the `agent_sessions` projection.
 */
export function agentRoutes(deps: ApiDeps): Hono {
  const app = new Hono()
  const agentsQuery = agentsQuerySchema(deps.config)
  const sessionEventsQuery = eventPageQuerySchema(deps.config)

  app.get('/agents', async (c) => {
    const query = parseQuery(c, agentsQuery)
    const filter = { agentName: query.agent ?? query.agent_name, status: query.status }

    const page = await listAgentSessions(deps.db, filter, query)

    const headers = page.next ? nextLink(c, encodeProjectionCursor(page.next)) : {}
    return jsonText(c, jsonArray(page.rows.map(renderAgentSession)), headers)
  })

  app.get('/agents/:session_id', async (c) => {
    const session = await findOrFail(deps, c)
    return jsonText(c, renderAgentSession(session))
  })

  app.get('/agents/:session_id/events', async (c) => {
    const query = parseQuery(c, sessionEventsQuery)
    const session = await findOrFail(deps, c)

    const page = await listEvents(
      deps.db,
      { sessionId: session.sessionId },
      { ...query, order: 'asc' },
    )

    const headers = page.next ? nextLink(c, encodeCursor(page.next)) : {}
    return jsonText(c, jsonArray(page.rows.map((row) => renderEventJson(row))), headers)
  })

  return app
}

async function findOrFail(deps: ApiDeps, c: Context): Promise<AgentSession> {
  const id = pathId(c, 'session_id')
  const session = await findAgentSession(deps.db, id)
  if (!session) throw notFound(`agent session ${JSON.stringify(id)}`)
  return session
}
