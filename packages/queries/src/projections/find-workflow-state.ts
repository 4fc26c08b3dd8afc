import type { Kysely } from 'kysely'

import type { Database } from '@historian/db'

import { toWorkflowState, WORKFLOW_STATE_COLUMNS, type WorkflowState } from './workflow-state.js'

/** The state of one workflow, by its id exactly as producers sent it; null when unknown. */
export async function findWorkflowState(
  db: Kysely<Database>,
  workflowId: string,
): Promise<WorkflowState | null> {
  const row = await db
    .selectFrom('workflow_state')
    .select(WORKFLOW_STATE_COLUMNS)
    .where('workflow_id', '=', workflowId)
    .executeTakeFirst()

  return row ? toWorkflowState(row) : null
}
