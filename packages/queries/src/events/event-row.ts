import type { EventsTable } from '@historian/db'
import type { Selectable } from 'kysely'

/** The columns the v1 view of an event is rendered from (envelope's `renderEventJson`). */
export const EVENT_ROW_COLUMNS = [
  'position',
  'event_id',
  'event_type',
  'routing_key',
  'occurred_at',
  'received_at',
  'parent_ids',
  'correlation_id',
  'format',
  'flags',
  'body',
] as const

/** A stored event as the read queries return it; timestamps are Postgres text in UTC. */
export type EventRow = Pick<Selectable<EventsTable>, (typeof EVENT_ROW_COLUMNS)[number]>

/** Read order of lists: by producer time, ties broken by commit position. */
export type SortOrder = 'asc' | 'desc'
