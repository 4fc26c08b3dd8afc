import { sql, type Transaction } from 'kysely'

import type { Database } from '@historian/db'
import type { DecodedEvent } from '@historian/envelope'

import { encodeTextArray } from './binary-text-array.js'
import { EVENTS_CHANNEL } from './channel.js'

/** An event that this batch inserted, with the position it got. */
export type AppendedEvent = DecodedEvent & { position: string }

/**
 * Inserts a batch of decoded events in one statement and returns the ones that were new, in
 * position order; events already stored (redeliveries, copies) are skipped by the unique key.
 *
 * The rows travel as one `text[]` per column through `unnest`, so the statement text and its
 * parameter count stay the same whatever the batch size (one plan, no parameter limit). Each
 * array goes in Postgres's binary format (see `encodeTextArray`): the bodies' bytes are copied
 * from the messages once and never escaped; each row's values are cast to their column types.
 */
export async function appendEvents(
  trx: Transaction<Database>,
  events: readonly DecodedEvent[],
): Promise<AppendedEvent[]> {
  if (events.length === 0) return []

  const columns = toColumns(events)
  // The reservation runs before any row takes a position: it announces this transaction to
  // readers as holding positions from one it draws itself (migration 0007). Writers do not
  // wait for each other; readers stop below a transaction that has not finished.
  const result = await sql<{ position: string; event_id: string }>`
    WITH reservation AS MATERIALIZED (SELECT historian_reserve_positions())
    INSERT INTO events (
      event_id, event_type, routing_key, exchange, occurred_at, received_at, parent_ids,
      correlation_id, workflow_id, session_id, agent_name, source_app, format, flags, body, amqp
    )
    SELECT
      r.event_id::uuid, r.event_type, r.routing_key, r.exchange, r.occurred_at::timestamptz,
      r.received_at::timestamptz, r.parent_ids::uuid[], r.correlation_id, r.workflow_id,
      r.session_id, r.agent_name, r.source_app, r.format, r.flags::text[], r.body, r.amqp::jsonb
    FROM reservation, unnest(
      ${columns.eventId}::text[], ${columns.eventType}::text[], ${columns.routingKey}::text[],
      ${columns.exchange}::text[], ${columns.occurredAt}::text[], ${columns.receivedAt}::text[],
      ${columns.parentIds}::text[], ${columns.correlationId}::text[],
      ${columns.workflowId}::text[], ${columns.sessionId}::text[], ${columns.agentName}::text[],
      ${columns.sourceApp}::text[], ${columns.format}::text[], ${columns.flags}::text[],
      ${columns.body}::text[], ${columns.amqp}::text[]
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
  const column = (value: (event: DecodedEvent) => string | Buffer | null) =>
    encodeTextArray(events.map(value))

  return {
    eventId: column((e) => e.eventId),
    eventType: column((e) => e.eventType),
    routingKey: column((e) => e.routingKey),
    exchange: column((e) => e.exchange),
    occurredAt: column((e) => e.occurredAt),
    receivedAt: column((e) => e.receivedAt.toISOString()),
    parentIds: column((e) => toArrayLiteral(e.parentIds)),
    correlationId: column((e) => e.correlationId),
    workflowId: column((e) => e.workflowId),
    sessionId: column((e) => e.sessionId),
    agentName: column((e) => e.agentName),
    sourceApp: column((e) => e.sourceApp),
    format: column((e) => e.format),
    flags: column((e) => toArrayLiteral(e.flags)),
    body: column((e) => e.body),
    amqp: column((e) => JSON.stringify(e.amqp)),
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
