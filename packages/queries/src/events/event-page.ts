import type { EventCursor } from '../cursor.js'
import type { EventRow, SortOrder } from './event-row.js'

/** Which slice of a list to read. `after` and `offset` combine: skip `offset` past the cursor. */
export interface PageRequest {
  limit: number
  offset?: number | undefined
  after?: EventCursor | undefined
  order: SortOrder
}

/** One page, and where the next one starts when there is more to read. */
export interface EventPage {
  rows: EventRow[]
  next: EventCursor | null
}

/** @internal Cuts the look-ahead row off a page fetched with `limit + 1`. */
export function toEventPage(rows: EventRow[], limit: number): EventPage {
  if (rows.length <= limit) return { rows, next: null }

  const page = rows.slice(0, limit)
  const last = page[page.length - 1]!
  return { rows: page, next: { occurredAt: last.occurred_at, position: last.position } }
}
