import type { Config } from '@historian/config'
import { renderEventJson } from '@historian/envelope'
import {
  encodeCursor,
  encodeProjectionCursor,
  findWorkflowState,
  listEvents,
  listWorkflows,
  type WorkflowState,
} from '@historian/queries'
import { Hono, type Context } from 'hono'
import { z } from 'zod'

import type { ApiDeps } from '../deps.js'
import { notFound } from '../http/api-error.js'
import { jsonArray, jsonText } from '../http/json-response.js'
import { nextLink } from '../http/next-link.js'
import { parseQuery } from '../http/parse-query.js'
import { pathId } from '../http/path-id.js'
import { renderWorkflowState } from '../render/render-workflow-state.js'
import { eventPageQuerySchema } from '../schemas/event-page-query.js'
import { projectionAfterParam } from '../schemas/projection-after-param.js'
import {
  limitParam,
  noConflictingAlias,
  offsetParam,
  textParam,
} from '../schemas/query-params.js'

/** The query of `GET /workflows`: filters, all of which must hold, and the page. */
export function workflowsQuerySchema(config: Config) {
  return z
    .object({
      status: textParam('Workflow status, e.g. `initiated`, `in_progress`, `completed`.')
        .optional(),
      type: textParam('Workflow type (`payload.workflow_type`).').optional(),
      workflow_type: textParam('Alias of `type`.').optional(),
      limit: limitParam(config),
      offset: offsetParam.optional(),
      after: projectionAfterParam.optional(),
    })
    .superRefine(noConflictingAlias('type', 'workflow_type'))
}

/** A workflow state as the API returns it (times UTC with six fractional digits). */
export const WorkflowStateView = z.object({
  workflow_id: z.string(),
  workflow_type: z.string().nullable(),
  status: z.string(),
  current_phase: z.string().nullable(),
  current_agent: z.string().nullable(),
  started_at: z.string(),
  updated_at: z.string(),
  completed_at: z.string().nullable(),
  event_count: z.number().int(),
  last_event_id: z.string(),
  last_event_type: z.string(),
  last_position: z.number().int(),
  session_ids: z.array(z.string()),
  checkpoint_ids: z.array(z.string()),
})

/**
 * `GET /workflows`, `/workflows/{id}/state` and `/workflows/{id}/timeline` (DESIGN section 6),
 * read from the `workflow_state` projection.
 */
export function workflowRoutes(deps: ApiDeps): Hono {
  const app = new Hono()
  const workflowsQuery = workflowsQuerySchema(deps.config)
  const timelineQuery = eventPageQuerySchema(deps.config)

  app.get('/workflows', async (c) => {
    const query = parseQuery(c, workflowsQuery)
    const filter = { status: query.status, workflowType: query.type ?? query.workflow_type }

    const page = await listWorkflows(deps.db, filter, query)

    const headers = page.next ? nextLink(c, encodeProjectionCursor(page.next)) : {}
    return jsonText(c, jsonArray(page.rows.map(renderWorkflowState)), headers)
  })

  app.get('/workflows/:id/state', async (c) => {
    const state = await findOrFail(deps, c)
    return jsonText(c, renderWorkflowState(state))
  })

  app.get('/workflows/:id/timeline', async (c) => {
    const query = parseQuery(c, timelineQuery)
    const state = await findOrFail(deps, c)

    const page = await listEvents(
      deps.db,
      { workflowId: state.workflowId },
      { ...query, order: 'asc' },
    )

    const events = jsonArray(page.rows.map((row) => renderEventJson(row)))
    const headers = page.next ? nextLink(c, encodeCursor(page.next)) : {}
    return jsonText(c, `{"state":${renderWorkflowState(state)},"events":${events}}`, headers)
  })

  return app
}

async function findOrFail(deps: ApiDeps, c: Context): Promise<WorkflowState> {
  const id = pathId(c, 'id')
  const state = await findWorkflowState(deps.db, id)
  if (!state) throw notFound(`workflow ${JSON.stringify(id)}`)
  return state
}
