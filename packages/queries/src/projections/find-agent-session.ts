import type { Kysely } from 'kysely'

import type { Database } from '@historian/db'

import { AGENT_SESSION_COLUMNS, toAgentSession, type AgentSession } from './agent-session.js'

/** One agent session, by its id exactly as producers sent it; null when unknown. */
export async function findAgentSession(
  db: Kysely<Database>,
  sessionId: string,
): Promise<AgentSession | null> {
  const row = await db
    .selectFrom('agent_sessions')
    .select(AGENT_SESSION_COLUMNS)
    .where('session_id', '=', sessionId)
    .executeTakeFirst()

  return row ? toAgentSession(row) : null
}
