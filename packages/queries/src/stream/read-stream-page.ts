import { sql, type Expression, type Kysely, type SqlBool } from 'kysely'

import type { Database } from '@historian/db'
import type { StoredEventRow } from '@historian/envelope'

import { EVENT_ROW_COLUMNS } from '../events/event-row.js'
import type { StreamFilter } from './stream-filter.js'

/** A stored event as the stream reads it: what the v1 view needs, plus the filtered columns. */
export type StreamEventRow = StoredEventRow & {
  position: string
  workflow_id: string | null
  session_id: string | null
}

export interface StreamPageRequest {
  /** Only events with a greater position. */
  after: bigint
  /** And none above this one: a `safePosition`, so that no later commit lands behind. */
  upTo: bigint
  limit: number
  /** Stop once the bodies add up to this many bytes; the first event always fits. */
  maxBytes: number
  filter?: StreamFilter | undefined
}

export interface StreamPage {
  events: StreamEventRow[]
  /** True when nothing after the page, up to `upTo`, matched when it was read. */
  complete: boolean
}

/**
 * The events after a position and up to a bound, in position order, that pass the filter. The
 * page is cut where the bodies pass `maxBytes`, in SQL, so a run of large events never all sits
 * in memory at once; `octet_length` reads a body's size from its TOAST header without reading
 * the body.
 */
export async function readStreamPage(
  db: Kysely<Database>,
  request: StreamPageRequest,
): Promise<StreamPage> {
  const filter = request.filter ?? {}

  const inner = db
    .selectFrom('events')
    .select([
      ...EVENT_ROW_COLUMNS,
      'workflow_id',
      'session_id',
      sql<number>`octet_length(body)`.as('body_bytes'),
      sql<string>`sum(octet_length(body)) OVER (ORDER BY position)`.as('running_bytes'),
    ])
    .where('position', '>', request.after.toString())
    .where('position', '<=', request.upTo.toString())
    .where((eb) => {
      const conditions: Expression<SqlBool>[] = []
      const equal = (column: FilterColumn, value: string | undefined) => {
        if (value !== undefined) conditions.push(eb(column, '=', value))
      }
      equal('routing_key', filter.routingKey)
      equal('workflow_id', filter.workflowId)
      equal('session_id', filter.sessionId)
      equal('correlation_id', filter.correlationId)

      if (filter.eventType !== undefined) {
        const { exact, likes } = filter.eventType
        conditions.push(
          sql<SqlBool>`(event_type = any(${[...exact]}::text[])
            or event_type like any(${[...likes]}::text[]))`,
        )
      }
      return eb.and(conditions)
    })
    .orderBy('position')
    .limit(request.limit)

  const rows = await db
    .selectFrom(inner.as('page'))
    .selectAll()
    .where(sql<SqlBool>`running_bytes - body_bytes < ${request.maxBytes}`)
    .orderBy('position')
    .execute()

  // Had the byte limit cut the page, its last event would end at or past the limit.
  const last = rows.at(-1)
  const complete =
    rows.length < request.limit && (!last || Number(last.running_bytes) < request.maxBytes)

  const events = rows.map(({ body_bytes: _bytes, running_bytes: _running, ...event }) => event)
  return { events, complete }
}

type FilterColumn = 'routing_key' | 'workflow_id' | 'session_id' | 'correlation_id'
