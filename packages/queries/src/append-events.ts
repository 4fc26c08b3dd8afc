import { sql, type Transaction } from 'kysely'

import type { Database } from '@historian/db'
import type { DecodedEvent } from '@historian/envelope'

import { EVENTS_CHANNEL } from './channel.js'

/**
 * Any fixed number works. Every batch transaction takes this lock before it inserts, so rows
 * get their positions and commit in one order: a reader that has seen position N can never
 * later find a row below N commit (DESIGN section 5).
 */
export const APPEND_LOCK_KEY = 7_203_114_002

/** An event that this batch inserted, with the position it got. */
export type AppendedEvent = DecodedEvent & { position: string }

/**
 * Inserts a batch of decoded events in one statement and returns the ones that were new, in
 * position order; events already stored (redeliveries, copies) are skipped by the unique key.
 *
 * The rows travel as one array per column through `unnest`, so the statement text and its
 * parameter count stay the same whatever the batch size (one plan, no parameter limit), and
 * each body is sent once, as text.
 */
export async function appendEvents(
  trx: Transaction<Database>,
  events: readonly DecodedEvent[],
): Promise<AppendedEvent[]> {
  if (events.length === 0) return []

  const columns = toColumns(events)
  // The lock is taken inside the statement, so Postgres parses this batch's parameters while
  // another batch still holds it; only assigning positions and committing are serialised.
  const result = await sql<{ position: string; event_id: string }>`
    WITH append_lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(${APPEND_LOCK_KEY}))
    INSERT INTO events (
      event_id, event_type, routing_key, exchange, occurred_at, received_at, parent_ids,
      correlation_id, workflow_id, session_id, agent_name, source_app, format, flags, body, amqp
    )
    SELECT
      r.event_id, r.event_type, r.routing_key, r.exchange, r.occurred_at, r.received_at,
      r.parent_ids::uuid[], r.correlation_id, r.workflow_id, r.session_id, r.agent_name,
      r.source_app, r.format, r.flags::text[], r.body, r.amqp::jsonb
    FROM append_lock, unnest(
      ${columns.eventId}::uuid[], ${columns.eventType}::text[], ${columns.routingKey}::text[],
      ${columns.exchange}::text[], ${columns.occurredAt}::timestamptz[],
      ${columns.receivedAt}::timestamptz[], ${columns.parentIds}::text[],
      ${columns.correlationId}::text[], ${columns.workflowId}::text[],
      ${columns.sessionId}::text[], ${columns.agentName}::text[], ${columns.sourceApp}::text[],
      ${columns.format}::text[], ${columns.flags}::text[], ${columns.body}::text[],
      ${columns.amqp}::text[]
    ) WITH ORDINALITY AS r(
      event_id, event_type, routing_key, exchange, occurred_at, received_at, parent_ids,
      correlation_id, workflow_id, session_id, agent_name, source_app, format, flags, body, amqp,
      ord
    )
    ORDER BY r.ord
    ON CONFLICT (event_id) DO NOTHING
    RETURNING position, event_id
  `.execute(trx)

  const byId = new Map(events.map((event) => [event.eventId, event]))
  return result.rows
    .map((row) => ({ ...(byId.get(row.event_id) as DecodedEvent), position: row.position }))
    .sort((a, b) => compareBigintText(a.position, b.position))
}

/** Rings the doorbell; Postgres delivers it only if, and when, the transaction commits. */
export async function notifyAppended(
  trx: Transaction<Database>,
  appended: readonly AppendedEvent[],
): Promise<void> {
  const last = appended.at(-1)
  if (!last) return
  await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${last.position})`.execute(trx)
}

function toColumns(events: readonly DecodedEvent[]) {
  return {
    eventId: events.map((e) => e.eventId),
    eventType: events.map((e) => e.eventType),
    routingKey: events.map((e) => e.routingKey),
    exchange: events.map((e) => e.exchange),
    occurredAt: events.map((e) => e.occurredAt),
    receivedAt: events.map((e) => e.receivedAt.toISOString()),
    parentIds: events.map((e) => toArrayLiteral(e.parentIds)),
    correlationId: events.map((e) => e.correlationId),
    workflowId: events.map((e) => e.workflowId),
    sessionId: events.map((e) => e.sessionId),
    agentName: events.map((e) => e.agentName),
    sourceApp: events.map((e) => e.sourceApp),
    format: events.map((e) => e.format),
    flags: events.map((e) => toArrayLiteral(e.flags)),
    body: events.map((e) => e.body),
    amqp: events.map((e) => JSON.stringify(e.amqp)),
  }
}

/**
 * A Postgres array literal. `unnest` cannot take a ragged two-dimensional array, so each row's
 * array travels as text and is cast per row. Elements are UUIDs or flag names: no quoting needed.
 */
function toArrayLiteral(values: readonly string[]): string {
  return `{${values.join(',')}}`
}

function compareBigintText(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
}
