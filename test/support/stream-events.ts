import { randomUUID } from 'node:crypto'

import { EVENTS_CHANNEL } from '@historian/queries'
import type pg from 'pg'

/** The fields a stream test varies; the rest of each event is a plain v1 envelope. */
export interface TestEventSpec {
  eventType?: string
  routingKey?: string
  workflowId?: string
  sessionId?: string
  correlationId?: string
  /** The payload as JSON text, so a test can send digits `JSON.parse` would lose. */
  payload?: string
}

export interface AppendOptions {
  /** Ring the doorbell as ingest does (default); false tests the slow poll. */
  notify?: boolean
}

/**
 * Stores events the way ingest commits a batch, without RabbitMQ: one transaction that
 * reserves positions as ingest does, inserts, and sends `NOTIFY historian_events, '<highest
 * position>'`.
 * Returns the positions, in order.
 */
export async function appendTestEvents(
  pool: pg.Pool,
  specs: readonly TestEventSpec[],
  options: AppendOptions = {},
): Promise<number[]> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query('SELECT historian_reserve_positions()')

    const positions: number[] = []
    for (const spec of specs) positions.push(await insertOne(client, spec))

    const last = positions.at(-1)
    if (options.notify !== false && last !== undefined) {
      await client.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, String(last)])
    }
    await client.query('COMMIT')
    return positions
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}

async function insertOne(client: pg.PoolClient, spec: TestEventSpec): Promise<number> {
  const eventId = randomUUID()
  const eventType = spec.eventType ?? 'test.event.happened'
  const timestamp = new Date().toISOString()
  const body =
    `{"event_id":"${eventId}","event_type":${JSON.stringify(eventType)}` +
    `,"timestamp":"${timestamp}","version":"1.0.0"` +
    `,"source":{"host":"test","type":"test","app":"stream-test"}` +
    `,"correlation_ids":[],"agent_context":null,"payload":${spec.payload ?? '{}'}}`

  const result = await client.query<{ position: string }>(
    `INSERT INTO events (event_id, event_type, routing_key, exchange, occurred_at, received_at,
       correlation_id, workflow_id, session_id, format, body)
     VALUES ($1, $2, $3, 'test', $4, now(), $5, $6, $7, 'envelope_v1', $8)
     RETURNING position`,
    [
      eventId,
      eventType,
      spec.routingKey ?? eventType,
      timestamp,
      spec.correlationId ?? null,
      spec.workflowId ?? null,
      spec.sessionId ?? null,
      body,
    ],
  )
  return Number(result.rows[0]?.position)
}
