import { randomUUID } from 'node:crypto'

import type { Database } from '@historian/db'
import { decode } from '@historian/envelope'
import { appendEvents, type AppendedEvent } from '@historian/queries'
import type { Kysely } from 'kysely'

/** A message as a producer would publish it: exact body text and its routing key. */
export interface TestMessage {
  body: string
  routingKey: string
}

/** Fields of an envelope v1 test event; anything left out gets a realistic default. */
export interface V1EventSpec {
  event_type: string
  timestamp: string
  event_id?: string
  routing_key?: string
  /** Causation parents (`correlation_ids`). */
  parents?: string[]
  source_app?: string
  session_id?: string
  payload?: Record<string, unknown>
  /** Payload as exact JSON text (big numbers, odd spacing); wins over `payload`. */
  payloadText?: string
}

/**
 * An envelope v1 message. The payload is serialised with `JSON.stringify` unless it is given as
 * `payloadText`, which is spliced in verbatim.
 */
export function v1Message(spec: V1EventSpec): TestMessage & { eventId: string } {
  const eventId = spec.event_id ?? randomUUID()
  const body = {
    event_id: eventId,
    event_type: spec.event_type,
    timestamp: spec.timestamp,
    version: '1.0.0',
    source: { host: 'test-host', type: 'agent', app: spec.source_app ?? 'test-app' },
    correlation_ids: spec.parents ?? [],
    agent_context: spec.session_id ? { session_id: spec.session_id } : null,
  }
  const payload = spec.payloadText ?? JSON.stringify(spec.payload ?? {})
  const text = `${JSON.stringify(body).slice(0, -1)},"payload":${payload}}`
  return { eventId, body: text, routingKey: spec.routing_key ?? spec.event_type }
}

/**
 * Stores messages the way ingest does: decoded by the envelope package and appended in one
 * transaction through `appendEvents`. Throws if a message would be refused.
 */
export async function storeMessages(
  db: Kysely<Database>,
  messages: readonly TestMessage[],
): Promise<AppendedEvent[]> {
  const events = messages.map((message) => {
    const result = decode(
      {
        body: Buffer.from(message.body, 'utf8'),
        routingKey: message.routingKey,
        exchange: 'bloodbank.events.v1',
        redelivered: false,
        receivedAt: new Date(),
      },
      { maxMessageBytes: 16 * 1024 * 1024, maxJsonDepth: 4096 },
    )
    if (!result.ok) throw new Error(`test message refused (${result.reason}): ${result.detail}`)
    return result.event
  })

  return db.transaction().execute((trx) => appendEvents(trx, events))
}
