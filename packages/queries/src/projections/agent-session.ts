import type { AgentSessionsTable } from '@historian/db'
import { formatTimestamp } from '@historian/envelope'
import type { Selectable } from 'kysely'

/** The columns an agent session is read from; the rest are merge bookkeeping. */
export const AGENT_SESSION_COLUMNS = [
  'session_id',
  'agent_name',
  'agent_type',
  'workflow_id',
  'status',
  'first_seen_at',
  'last_seen_at',
  'latest_checkpoint',
  'event_count',
] as const

type AgentSessionRow = Pick<Selectable<AgentSessionsTable>, (typeof AGENT_SESSION_COLUMNS)[number]>

/** One agent session as the projection knows it; times are UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export interface AgentSession {
  sessionId: string
  agentName: string | null
  agentType: string | null
  workflowId: string | null
  /** `active`, or `ended` once the latest lifecycle event ends it. */
  status: string
  firstSeenAt: string
  lastSeenAt: string
  latestCheckpoint: string | null
  eventCount: number
}

/** @internal */
export function toAgentSession(row: AgentSessionRow): AgentSession {
  return {
    sessionId: row.session_id,
    agentName: row.agent_name,
    agentType: row.agent_type,
    workflowId: row.workflow_id,
    status: row.status,
    firstSeenAt: formatTimestamp(row.first_seen_at),
    lastSeenAt: formatTimestamp(row.last_seen_at),
    latestCheckpoint: row.latest_checkpoint,
    eventCount: Number(row.event_count),
  }
}
