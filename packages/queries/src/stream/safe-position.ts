import { sql, type Kysely } from 'kysely'

import type { Database } from '@historian/db'

/**
 * The highest position a reader may read up to without ever missing a row: every event at or
 * below it has committed, and every transaction still writing holds only higher positions
 * (migration 0007 says how). 0 for an empty history.
 *
 * Ingest transactions commit in any order, so the highest stored position can be above a row
 * that has yet to commit. Read up to this bound, in a later statement than the one that asked
 * for it: a statement sees the rows committed when it started.
 */
export async function safePosition(db: Kysely<Database>): Promise<bigint> {
  const result = await sql<{ position: string }>`
    SELECT historian_safe_position()::text AS position
  `.execute(db)
  return BigInt(result.rows[0]?.position ?? '0')
}
