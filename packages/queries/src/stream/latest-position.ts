import { sql, type Kysely } from 'kysely'

import type { Database } from '@historian/db'

/** The highest committed position, or 0 for an empty history. */
export async function latestPosition(db: Kysely<Database>): Promise<bigint> {
  const result = await sql<{ position: string }>`
    SELECT coalesce(max(position), 0)::text AS position FROM events
  `.execute(db)
  return BigInt(result.rows[0]?.position ?? '0')
}
