import type { Kysely } from 'kysely'

import type { Database } from '@historian/db'

import {
  toProjectionPage,
  type ProjectionPage,
  type ProjectionPageRequest,
} from './projection-page.js'
import { toWorkflowState, WORKFLOW_STATE_COLUMNS, type WorkflowState } from './workflow-state.js'

/** Filters of `GET /workflows`; every one given must hold. */
export interface WorkflowFilter {
  status?: string | undefined
  workflowType?: string | undefined
}

/**
 * One page of workflows, most recently updated first, ties by id (descending), read one row
 * ahead to know whether a next page exists. Each filter has an index in that order.
 *
 * @example
 * const page = await listWorkflows(db, { status: 'in_progress' }, { limit: 100 })
 */
export async function listWorkflows(
  db: Kysely<Database>,
  filter: WorkflowFilter,
  page: ProjectionPageRequest,
): Promise<ProjectionPage<WorkflowState>> {
  let query = db.selectFrom('workflow_state').select(WORKFLOW_STATE_COLUMNS)

  if (filter.status !== undefined) query = query.where('status', '=', filter.status)
  if (filter.workflowType !== undefined) {
    query = query.where('workflow_type', '=', filter.workflowType)
  }
  const after = page.after
  if (after) {
    query = query.where((eb) =>
      eb(eb.refTuple('updated_at', 'workflow_id'), '<', eb.tuple(after.at, after.id)),
    )
  }

  const rows = await query
    .orderBy('updated_at', 'desc')
    .orderBy('workflow_id', 'desc')
    .limit(page.limit + 1)
    .offset(page.offset ?? 0)
    .execute()

  return toProjectionPage(rows.map(toWorkflowState), page.limit, (state) => ({
    at: state.updatedAt,
    id: state.workflowId,
  }))
}
