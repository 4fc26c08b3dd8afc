import type { Database } from '@historian/db'
import { sql, type ExpressionBuilder, type Kysely, type SelectQueryBuilder } from 'kysely'

import type { EventCursor } from '../cursor.js'
import { EVENT_ROW_COLUMNS, type EventRow, type SortOrder } from './event-row.js'
import { eventFilterCondition, hasEqualityFilter, type EventFilter } from './event-filter.js'
import { toEventPage, type EventPage, type PageRequest } from './event-page.js'
import { resolveEventTypes } from './resolve-event-types.js'

/**
 * One page of `GET /events`, in (occurred_at, position) order, read one row ahead to know
 * whether a next page exists.
 *
 * A pattern that resolves to several types, with no other column pinned, is read as one
 * ordered index range per type merged by a LATERAL join: `event_type IN (...)` with ORDER BY
 * would otherwise sort every matching row, or walk the time index past rows of other types.
 *
 * @example
 * const page = await listEvents(db, { agent: 'scout' }, { limit: 100, order: 'desc' })
 */
export async function listEvents(
  db: Kysely<Database>,
  filter: EventFilter,
  page: PageRequest,
): Promise<EventPage> {
  // A bare `*` matches every type: no type condition at all beats one per known type.
  const everyType = filter.eventType?.likes.includes('%') ?? false
  const pattern = everyType ? undefined : filter.eventType
  const types = pattern ? await resolveEventTypes(db, pattern) : undefined
  if (types?.length === 0) return { rows: [], next: null }

  const rows =
    types && types.length > 1 && !hasEqualityFilter(filter)
      ? await listMergedByType(db, filter, types, page)
      : await listPlain(db, filter, types, page)

  return toEventPage(rows, page.limit)
}

function listPlain(
  db: Kysely<Database>,
  filter: EventFilter,
  types: string[] | undefined,
  page: PageRequest,
): Promise<EventRow[]> {
  return inPageOrder(
    db
      .selectFrom('events')
      .select(EVENT_ROW_COLUMNS)
      .where((eb) => eventFilterCondition(eb, filter, types))
      .where((eb) => afterCursor(eb, page.after, page.order)),
    page.order,
  )
    .limit(page.limit + 1)
    .offset(page.offset ?? 0)
    .execute()
}

async function listMergedByType(
  db: Kysely<Database>,
  filter: EventFilter,
  types: string[],
  page: PageRequest,
): Promise<EventRow[]> {
  const wanted = page.limit + 1 + (page.offset ?? 0)

  // Index-only reads of (occurred_at, position) per type; bodies are fetched for the page only.
  const perType = inPageOrder(
    db
      .selectFrom('events')
      .select(['occurred_at', 'position'])
      .where('event_type', '=', sql.ref<string>('type_name.type_name'))
      .where((eb) => eventFilterCondition(eb, filter))
      .where((eb) => afterCursor(eb, page.after, page.order)),
    page.order,
  ).limit(wanted)

  const positions = inPageOrder(
    db
      .selectFrom(sql<{ type_name: string }>`unnest(${types}::text[])`.as('type_name'))
      .innerJoinLateral(perType.as('k'), (join) => join.onTrue())
      .select('k.position'),
    page.order,
    'k.',
  )
    .limit(page.limit + 1)
    .offset(page.offset ?? 0)

  return inPageOrder(
    db.selectFrom('events').select(EVENT_ROW_COLUMNS).where('position', 'in', positions),
    page.order,
  ).execute()
}

/** @internal Rows strictly after the cursor in the direction of reading. */
export function afterCursor(
  eb: ExpressionBuilder<Database, 'events'>,
  cursor: EventCursor | undefined,
  order: SortOrder,
) {
  if (cursor === undefined) return eb.lit(true)

  return eb(
    eb.refTuple('occurred_at', 'position'),
    order === 'asc' ? '>' : '<',
    eb.tuple(cursor.occurredAt, cursor.position),
  )
}

/** @internal Orders by (occurred_at, position), optionally qualified by a table alias. */
export function inPageOrder<Q extends SelectQueryBuilder<any, any, any>>(
  query: Q,
  order: SortOrder,
  qualifier = '',
): Q {
  return query
    .orderBy(sql.ref(`${qualifier}occurred_at`), order)
    .orderBy(sql.ref(`${qualifier}position`), order) as Q
}
