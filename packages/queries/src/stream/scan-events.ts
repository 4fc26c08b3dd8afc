import { sql, type Expression, type Kysely, type SqlBool } from 'kysely'

import type { Database } from '@historian/db'

import type { EventSummary, StreamFilter } from './stream-filter.js'

export interface ScanRequest {
  /** Only events with a greater position. */
  after: bigint
  limit: number
  filter?: StreamFilter | undefined
}

/**
 * Summaries of the events after a position, in position order, without their bodies: enough to
 * decide who wants an event before paying for its body (`loadEvents`). `body_bytes` comes from
 * `octet_length`, which Postgres answers from the TOAST header without reading the body.
 */
export async function scanEvents(
  db: Kysely<Database>,
  request: ScanRequest,
): Promise<EventSummary[]> {
  const filter = request.filter ?? {}

  return db
    .selectFrom('events')
    .select([
      'position',
      'event_type',
      'routing_key',
      'workflow_id',
      'session_id',
      'correlation_id',
      sql<number>`octet_length(body)`.as('body_bytes'),
    ])
    .where('position', '>', request.after.toString())
    .where((eb) => {
      const conditions: Expression<SqlBool>[] = []
      if (filter.routingKey !== undefined) {
        conditions.push(eb('routing_key', '=', filter.routingKey))
      }
      if (filter.workflowId !== undefined) {
        conditions.push(eb('workflow_id', '=', filter.workflowId))
      }
      if (filter.sessionId !== undefined) conditions.push(eb('session_id', '=', filter.sessionId))
      if (filter.correlationId !== undefined) {
        conditions.push(eb('correlation_id', '=', filter.correlationId))
      }
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
    .execute()
}
