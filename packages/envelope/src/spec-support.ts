/**
 * @module @internal Helpers shared by this package's spec files and benchmarks; not exported by
 * the package.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import type { DecodedEvent, DecodeLimits, IncomingMessage, StoredEventRow } from './types.js'

/** The limits of DESIGN section 8's defaults. */
export const DEFAULT_LIMITS: DecodeLimits = {
  maxMessageBytes: 16 * 1024 * 1024,
  maxJsonDepth: 4096,
}

/** 2026-06-01T12:00:00.123Z, a receive time no fixture uses. */
export const RECEIVED_AT = new Date(Date.UTC(2026, 5, 1, 12, 0, 0, 123))

/** A message as the AMQP source hands it over, with the body given as text, bytes or a value. */
export function incoming(
  body: string | Buffer | object,
  overrides: Partial<IncomingMessage> = {},
): IncomingMessage {
  const bytes = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8')

  return {
    body: bytes,
    routingKey: 'test.event',
    exchange: 'bloodbank.events.v1',
    redelivered: false,
    receivedAt: RECEIVED_AT,
    ...overrides,
  }
}

/** The row the ingest writes for a decoded event, as Postgres reads it back. */
export function storedRowOf(
  event: DecodedEvent,
  position: StoredEventRow['position'],
): StoredEventRow {
  return {
    position,
    event_id: event.eventId,
    event_type: event.eventType,
    routing_key: event.routingKey,
    occurred_at: event.occurredAt,
    received_at: event.receivedAt,
    parent_ids: event.parentIds,
    correlation_id: event.correlationId,
    format: event.format,
    flags: event.flags,
    body: event.body.toString('utf8'),
  }
}

export interface ManifestEntry {
  file: string
  transport: 'amqp' | 'nats'
  routing_key?: string
  subject?: string
  properties?: { message_id?: string }
  expect: 'store' | 'duplicate' | 'refuse'
  event_id?: string
  flags?: string[]
}

const FIXTURES_DIR = fileURLToPath(new URL('../../../fixtures/bloodbank/', import.meta.url))

/** The sample manifest of `fixtures/bloodbank`. */
export function readManifest(): ManifestEntry[] {
  return JSON.parse(readFileSync(`${FIXTURES_DIR}manifest.json`, 'utf8')) as ManifestEntry[]
}

/** A sample's bytes, exactly as stored. */
export function readFixture(file: string): Buffer {
  return readFileSync(`${FIXTURES_DIR}${file}`)
}

/** The message a manifest entry describes; NATS entries use their subject as routing key. */
export function fixtureMessage(entry: ManifestEntry): IncomingMessage {
  return incoming(readFixture(entry.file), {
    routingKey: entry.routing_key ?? entry.subject ?? '',
    messageId: entry.properties?.message_id,
  })
}
