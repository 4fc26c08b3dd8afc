import { sql, type Kysely } from 'kysely'

import type { Database } from '@historian/db'
import type { StoredEventRow } from '@historian/envelope'

/** A stored event as the stream renders it; the position is Postgres int8 text. */
export type StreamEventRow = StoredEventRow & { position: string }

/** The full rows of the given positions, in position order, for rendering with their bodies. */
export async function loadEvents(
  db: Kysely<Database>,
  positions: readonly string[],
): Promise<StreamEventRow[]> {
  if (positions.length === 0) return []

  // pg has no parser for uuid[], so the cast gives parent_ids as a string array.
  const result = await sql<StreamEventRow>`
    SELECT position, event_id, event_type, routing_key, occurred_at, received_at,
      parent_ids::text[] AS parent_ids, correlation_id, format, flags, body
    FROM events
    WHERE position = any(${[...positions]}::bigint[])
    ORDER BY position
  `.execute(db)
  return result.rows
}
