import type { Database } from '@historian/db'
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely'

import type { EventTypePattern } from '../event-type-pattern.js'

/** Filters of `GET /events`; every one given must hold. Times are ISO 8601 text. */
export interface EventFilter {
  workflowId?: string | undefined
  correlationId?: string | undefined
  eventType?: EventTypePattern | undefined
  routingKey?: string | undefined
  /** Matches `agent_name`. */
  agent?: string | undefined
  sessionId?: string | undefined
  /** Matches `source_app`: `source.app`, or the whole source when it was a string. */
  source?: string | undefined
  /** Inclusive. */
  startTime?: string | undefined
  /** Exclusive. */
  endTime?: string | undefined
}

/** @internal Whether a filter pins a column other than `event_type` to one value. */
export function hasEqualityFilter(filter: EventFilter): boolean {
  return [
    filter.workflowId,
    filter.correlationId,
    filter.routingKey,
    filter.agent,
    filter.sessionId,
    filter.source,
  ].some((value) => value !== undefined)
}

/**
 * @internal The filter as one condition on `events`. `eventTypes` are the exact names an
 * `event_type` pattern resolved to (see `resolveEventTypes`); the pattern itself is not read.
 */
export function eventFilterCondition(
  eb: ExpressionBuilder<Database, 'events'>,
  filter: EventFilter,
  eventTypes?: readonly string[],
): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = []
  const equal = (column: EqualityColumn, value: string | undefined) => {
    if (value !== undefined) conditions.push(eb(column, '=', value))
  }

  equal('workflow_id', filter.workflowId)
  equal('correlation_id', filter.correlationId)
  equal('routing_key', filter.routingKey)
  equal('agent_name', filter.agent)
  equal('session_id', filter.sessionId)
  equal('source_app', filter.source)

  if (eventTypes?.length === 1) conditions.push(eb('event_type', '=', eventTypes[0]!))
  else if (eventTypes) conditions.push(eb('event_type', 'in', [...eventTypes]))

  if (filter.startTime !== undefined) conditions.push(eb('occurred_at', '>=', filter.startTime))
  if (filter.endTime !== undefined) conditions.push(eb('occurred_at', '<', filter.endTime))

  return eb.and(conditions)
}

type EqualityColumn =
  | 'workflow_id'
  | 'correlation_id'
  | 'routing_key'
  | 'agent_name'
  | 'session_id'
  | 'source_app'
