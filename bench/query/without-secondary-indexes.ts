import type { Database } from '@historian/db'
import { sql, type Kysely } from 'kysely'

/**
 * Runs `load` with the secondary indexes of `events` dropped, then builds them again from the
 * definitions Postgres reported (so the migration stays their only source). One sort per index
 * after the load is several times cheaper than a million incremental index insertions. The
 * primary key and the unique event id stay, because `ON CONFLICT (event_id)` needs the latter.
 */
export async function withoutSecondaryIndexes<T>(
  db: Kysely<Database>,
  load: () => Promise<T>,
): Promise<{ result: T; indexSeconds: number }> {
  const indexes = await sql<{ indexname: string; indexdef: string }>`
    SELECT i.indexname, i.indexdef
    FROM pg_indexes AS i
    WHERE i.schemaname = current_schema() AND i.tablename = 'events'
      AND NOT EXISTS (
        SELECT 1 FROM pg_constraint AS c WHERE c.conname = i.indexname
      )`.execute(db)
  for (const index of indexes.rows) {
    await sql`DROP INDEX ${sql.id(index.indexname)}`.execute(db)
  }

  const result = await load()

  const started = performance.now()
  await sql`SET maintenance_work_mem = '256MB'`.execute(db)
  for (const index of indexes.rows) await sql.raw(index.indexdef).execute(db)
  return { result, indexSeconds: (performance.now() - started) / 1000 }
}
