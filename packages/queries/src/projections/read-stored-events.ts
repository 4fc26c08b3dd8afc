import { sql, type Kysely } from 'kysely'

import type { Database } from '@historian/db'

import { STORED_EVENT_COLUMNS, type StoredEvent } from './project-stored-event.js'

/** @internal How much one replay batch may hold. */
export interface ReplayBatchLimits {
  maxEvents: number
  /** Body bytes; the first event is always read, however large. */
  maxBytes: number
}

const COLUMNS = sql.join(STORED_EVENT_COLUMNS.map((column) => sql.ref(`e.${column}`)))

/**
 * @internal The next events after `afterPosition` (and up to `upToPosition`), in position
 * order, capped by count and by body bytes so that a run of multi-megabyte bodies does not fill
 * memory. Sizes come from
 * `octet_length`, which reads a stored value's header rather than the value itself.
 */
export async function readStoredEvents(
  db: Kysely<Database>,
  afterPosition: string,
  limits: ReplayBatchLimits,
  upToPosition?: string,
): Promise<StoredEvent[]> {
  const bound = upToPosition === undefined ? sql`` : sql`AND position <= ${upToPosition}`
  const result = await sql<StoredEvent>`
    WITH page AS (
      SELECT position, octet_length(body) AS bytes,
             sum(octet_length(body)) OVER (ORDER BY position) AS running
      FROM events
      WHERE position > ${afterPosition} ${bound}
      ORDER BY position
      LIMIT ${limits.maxEvents}
    )
    SELECT ${COLUMNS}
    FROM page JOIN events e ON e.position = page.position
    WHERE page.running - page.bytes < ${limits.maxBytes}
    ORDER BY e.position
  `.execute(db)

  return result.rows
}
