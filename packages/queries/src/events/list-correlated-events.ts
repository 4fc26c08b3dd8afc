import type { Database } from '@historian/db'
import type { Kysely } from 'kysely'

import type { EventCursor } from '../cursor.js'
import { EVENT_ROW_COLUMNS } from './event-row.js'
import { toEventPage, type EventPage } from './event-page.js'
import { afterCursor, inPageOrder } from './list-events.js'

/** Which slice of `GET /correlations/{id}` to read; it is always oldest first. */
export interface CorrelatedPageRequest {
  limit: number
  offset?: number | undefined
  after?: EventCursor | undefined
}

/**
 * One page of the events whose `correlation_id` or `session_id` is `id`, oldest first.
 *
 * Each column is read in order through its own index and the two short lists are merged;
 * `correlation_id = $1 OR session_id = $1` would collect and sort every matching row instead.
 */
export async function listCorrelatedEvents(
  db: Kysely<Database>,
  id: string,
  page: CorrelatedPageRequest,
): Promise<EventPage> {
  const wanted = page.limit + 1 + (page.offset ?? 0)
  const keysWhere = (column: 'correlation_id' | 'session_id') =>
    inPageOrder(
      db
        .selectFrom('events')
        .select(['occurred_at', 'position'])
        .where(column, '=', id)
        .where((eb) => afterCursor(eb, page.after, 'asc')),
      'asc',
    ).limit(wanted)

  const merged = db
    .selectFrom(keysWhere('correlation_id').as('by_chain'))
    .selectAll()
    .union(db.selectFrom(keysWhere('session_id').as('by_session')).selectAll())

  const positions = inPageOrder(
    db.selectFrom(merged.as('k')).select('k.position'),
    'asc',
    'k.',
  )
    .limit(page.limit + 1)
    .offset(page.offset ?? 0)

  const rows = await inPageOrder(
    db.selectFrom('events').select(EVENT_ROW_COLUMNS).where('position', 'in', positions),
    'asc',
  ).execute()

  return toEventPage(rows, page.limit)
}
