import type { WorkflowStateTable } from '@historian/db'
import { formatTimestamp } from '@historian/envelope'
import type { Selectable } from 'kysely'

/** The columns a workflow state is read from; the rest are merge bookkeeping. */
export const WORKFLOW_STATE_COLUMNS = [
  'workflow_id',
  'workflow_type',
  'status',
  'current_phase',
  'current_agent',
  'started_at',
  'updated_at',
  'completed_at',
  'event_count',
  'last_event_id',
  'last_event_type',
  'last_position',
  'session_ids',
  'checkpoint_ids',
] as const

type WorkflowStateRow = Pick<
  Selectable<WorkflowStateTable>,
  (typeof WORKFLOW_STATE_COLUMNS)[number]
>

/** One workflow as the projection knows it; times are UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export interface WorkflowState {
  workflowId: string
  workflowType: string | null
  status: string
  currentPhase: string | null
  currentAgent: string | null
  startedAt: string
  updatedAt: string
  /** When the latest event left the workflow completed or failed; null while it runs. */
  completedAt: string | null
  eventCount: number
  lastEventId: string
  lastEventType: string
  /** Decimal text of the latest event's position. */
  lastPosition: string
  sessionIds: string[]
  checkpointIds: string[]
}

/** @internal */
export function toWorkflowState(row: WorkflowStateRow): WorkflowState {
  return {
    workflowId: row.workflow_id,
    workflowType: row.workflow_type,
    status: row.status,
    currentPhase: row.current_phase,
    currentAgent: row.current_agent,
    startedAt: formatTimestamp(row.started_at),
    updatedAt: formatTimestamp(row.updated_at),
    completedAt: row.completed_at === null ? null : formatTimestamp(row.completed_at),
    eventCount: Number(row.event_count),
    lastEventId: row.last_event_id,
    lastEventType: row.last_event_type,
    lastPosition: row.last_position,
    sessionIds: row.session_ids,
    checkpointIds: row.checkpoint_ids,
  }
}
