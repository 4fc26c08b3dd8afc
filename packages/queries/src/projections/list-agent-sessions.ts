import type { Kysely } from 'kysely'

import type { Database } from '@historian/db'

import { AGENT_SESSION_COLUMNS, toAgentSession, type AgentSession } from './agent-session.js'
import {
  toProjectionPage,
  type ProjectionPage,
  type ProjectionPageRequest,
} from './projection-page.js'

/** Filters of `GET /agents`; every one given must hold. */
export interface AgentSessionFilter {
  agentName?: string | undefined
  status?: string | undefined
}

/**
 * One page of agent sessions, most recently seen first, ties by session id (descending), read
 * one row ahead to know whether a next page exists.
 *
 * @example
 * const page = await listAgentSessions(db, { agentName: 'scout' }, { limit: 100 })
 */
export async function listAgentSessions(
  db: Kysely<Database>,
  filter: AgentSessionFilter,
  page: ProjectionPageRequest,
): Promise<ProjectionPage<AgentSession>> {
  let query = db.selectFrom('agent_sessions').select(AGENT_SESSION_COLUMNS)

  if (filter.agentName !== undefined) query = query.where('agent_name', '=', filter.agentName)
  if (filter.status !== undefined) query = query.where('status', '=', filter.status)
  const after = page.after
  if (after) {
    query = query.where((eb) =>
      eb(eb.refTuple('last_seen_at', 'session_id'), '<', eb.tuple(after.at, after.id)),
    )
  }

  const rows = await query
    .orderBy('last_seen_at', 'desc')
    .orderBy('session_id', 'desc')
    .limit(page.limit + 1)
    .offset(page.offset ?? 0)
    .execute()

  return toProjectionPage(rows.map(toAgentSession), page.limit, (session) => ({
    at: session.lastSeenAt,
    id: session.sessionId,
  }))
}
