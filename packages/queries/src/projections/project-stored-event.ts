import type { EventsTable } from '@historian/db'
import {
  decode,
  formatTimestamp,
  type AmqpSummary,
  type DecodeLimits,
  type EventFormat,
  type ProjectionFacts,
  type RepairFlag,
} from '@historian/envelope'
import type { Selectable } from 'kysely'

import type { ProjectedEvent } from './projected-event.js'

/** A stored event row, every column. */
export type StoredEvent = Selectable<EventsTable>

/** The columns `toProjectedEvent` reads. */
export const STORED_EVENT_COLUMNS = [
  'position',
  'event_id',
  'event_type',
  'routing_key',
  'exchange',
  'occurred_at',
  'received_at',
  'parent_ids',
  'correlation_id',
  'workflow_id',
  'session_id',
  'agent_name',
  'source_app',
  'format',
  'flags',
  'body',
  'amqp',
] as const satisfies ReadonlyArray<keyof StoredEvent>

/**
 * A body was within the limits when it was stored; a replay must not refuse it because the
 * limits have been lowered since.
 */
const REPLAY_LIMITS: DecodeLimits = {
  maxMessageBytes: Number.MAX_SAFE_INTEGER,
  maxJsonDepth: Number.MAX_SAFE_INTEGER,
}

const NO_FACTS: ProjectionFacts = {
  workflowType: null,
  status: null,
  phase: null,
  checkpointId: null,
  agentType: null,
  actingAgent: null,
  handoffTo: null,
}

/**
 * Re-derives the event the ingest projected from its stored row. The columns are authoritative
 * (ids and times may have been repaired on the way in); only the facts that have no column are
 * decoded again from the body, which is deterministic given the body and the routing key.
 */
export function toProjectedEvent(row: StoredEvent): ProjectedEvent {
  const receivedAt = new Date(formatTimestamp(row.received_at))
  const body = Buffer.from(row.body, 'utf8')
  const decoded = decode(
    {
      body,
      routingKey: row.routing_key,
      exchange: row.exchange,
      redelivered: false,
      receivedAt,
    },
    REPLAY_LIMITS,
  )

  return {
    eventId: row.event_id,
    eventType: row.event_type,
    routingKey: row.routing_key,
    exchange: row.exchange,
    occurredAt: formatTimestamp(row.occurred_at),
    receivedAt,
    parentIds: row.parent_ids,
    correlationId: row.correlation_id,
    workflowId: row.workflow_id,
    sessionId: row.session_id,
    agentName: row.agent_name,
    sourceApp: row.source_app,
    format: row.format as EventFormat,
    flags: row.flags as RepairFlag[],
    body,
    amqp: row.amqp as AmqpSummary,
    facts: decoded.ok ? decoded.event.facts : NO_FACTS,
    position: row.position,
  }
}
