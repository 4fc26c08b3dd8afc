import { sql, type Kysely } from 'kysely'

import type { Database } from '@historian/db'

/** How many events are stored, and how many distinct ids (equal unless something doubled). */
export async function countEvents(db: Kysely<Database>): Promise<{ rows: number; ids: number }> {
  const { rows } = await sql<{ rows: string; ids: string }>`
    SELECT count(*) AS rows, count(DISTINCT event_id) AS ids FROM events
  `.execute(db)
  return { rows: Number(rows[0]!.rows), ids: Number(rows[0]!.ids) }
}

/** The stored ids, for comparing with what was published. */
export async function storedIds(db: Kysely<Database>): Promise<Set<string>> {
  const rows = await db.selectFrom('events').select('event_id').execute()
  return new Set(rows.map((row) => row.event_id))
}
