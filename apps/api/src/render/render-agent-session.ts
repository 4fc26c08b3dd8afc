import type { AgentSession } from '@historian/queries'

/** An agent session as JSON text, snake_case like the rest of the API. */
export function renderAgentSession(session: AgentSession): string {
  return JSON.stringify({
    session_id: session.sessionId,
    agent_name: session.agentName,
    agent_type: session.agentType,
    workflow_id: session.workflowId,
    status: session.status,
    first_seen_at: session.firstSeenAt,
    last_seen_at: session.lastSeenAt,
    latest_checkpoint: session.latestCheckpoint,
    event_count: session.eventCount,
  })
}
