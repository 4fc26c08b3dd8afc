import type { Database } from '@historian/db'
import type { Kysely } from 'kysely'

import { EVENT_ROW_COLUMNS, type EventRow } from './event-row.js'

/** The stored event with this id (a lowercase UUID), or undefined. */
export function findEvent(db: Kysely<Database>, eventId: string): Promise<EventRow | undefined> {
  return db
    .selectFrom('events')
    .select(EVENT_ROW_COLUMNS)
    .where('event_id', '=', eventId)
    .executeTakeFirst()
}
