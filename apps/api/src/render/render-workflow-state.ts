import type { WorkflowState } from '@historian/queries'

/**
 * A workflow state as JSON text, snake_case like the rest of the API. `last_position` is a
 * JSON number written from its decimal text, so it keeps every digit, as event positions do.
 */
export function renderWorkflowState(state: WorkflowState): string {
  const fields: Array<[string, unknown]> = [
    ['workflow_id', state.workflowId],
    ['workflow_type', state.workflowType],
    ['status', state.status],
    ['current_phase', state.currentPhase],
    ['current_agent', state.currentAgent],
    ['started_at', state.startedAt],
    ['updated_at', state.updatedAt],
    ['completed_at', state.completedAt],
    ['event_count', state.eventCount],
    ['last_event_id', state.lastEventId],
    ['last_event_type', state.lastEventType],
  ]
  const members = fields.map(([name, value]) => `"${name}":${JSON.stringify(value)}`)

  return (
    `{${members.join(',')},"last_position":${state.lastPosition}` +
    `,"session_ids":${JSON.stringify(state.sessionIds)}` +
    `,"checkpoint_ids":${JSON.stringify(state.checkpointIds)}}`
  )
}
