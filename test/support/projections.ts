import { fileURLToPath } from 'node:url'

import type { Kysely } from 'kysely'

import type { Database } from '@historian/db'
import { decode, formatTimestamp, type DecodedEvent } from '@historian/envelope'
import { appendEvents, applyProjections, type ProjectedEvent } from '@historian/queries'

import { readSamples } from '../../scripts/lib/manifest.js'
// The keys `inject()` provides are declared there; a package's type check sees them this way.
import type {} from './global-setup.js'

const FIXTURES = fileURLToPath(new URL('../../fixtures/bloodbank/', import.meta.url))

const LIMITS = { maxMessageBytes: 16 * 1024 * 1024, maxJsonDepth: 4096 }

/** Decodes one body with the real decoder, as the ingest would; throws on a refusal. */
export function decodeBody(body: string | object, routingKey: string): DecodedEvent {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  const result = decode(
    {
      body: Buffer.from(text, 'utf8'),
      routingKey,
      exchange: 'bloodbank.events.v1',
      redelivered: false,
      receivedAt: new Date('2026-06-01T00:00:00Z'),
    },
    LIMITS,
  )
  if (!result.ok) throw new Error(`refused: ${result.reason} ${result.detail}`)
  return result.event
}

/**
 * Every storable fixture decoded, by its two-digit number. NATS samples use their subject as
 * the routing key; duplicates and refusals are left out.
 */
export async function readFixtureEvents(): Promise<Map<string, DecodedEvent>> {
  const samples = await readSamples(FIXTURES)
  const events = new Map<string, DecodedEvent>()

  for (const sample of samples) {
    if (sample.expect !== 'store') continue
    const routingKey = sample.routing_key ?? sample.subject ?? ''
    events.set(sample.file.slice(0, 2), decodeBody(sample.body.toString('utf8'), routingKey))
  }
  return events
}

/** One ingest batch: the real insert, then the projections for the rows it returned. */
export async function storeAndProject(
  db: Kysely<Database>,
  events: readonly DecodedEvent[],
): Promise<ProjectedEvent[]> {
  return db.transaction().execute(async (trx) => {
    const appended = await appendEvents(trx, events)
    await applyProjections(trx, appended)
    return appended
  })
}

export type ProjectionRow = Record<string, unknown>

/**
 * Both projection tables, every column; timestamps in one format, and rows and sets sorted in
 * JavaScript, so that they compare equal whatever the database's collation.
 */
export async function readProjectionRows(
  db: Kysely<Database>,
): Promise<{ workflows: ProjectionRow[]; sessions: ProjectionRow[] }> {
  const workflows = await db.selectFrom('workflow_state').selectAll().execute()
  const sessions = await db.selectFrom('agent_sessions').selectAll().execute()
  return {
    workflows: workflows.map(normalise).sort(byText('workflow_id')),
    sessions: sessions.map(normalise).sort(byText('session_id')),
  }
}

function byText(column: string) {
  return (a: ProjectionRow, b: ProjectionRow) => {
    const [x, y] = [String(a[column]), String(b[column])]
    return x < y ? -1 : x > y ? 1 : 0
  }
}

function normalise(row: object): ProjectionRow {
  const out: ProjectionRow = {}
  for (const [column, value] of Object.entries(row)) {
    if (Array.isArray(value)) out[column] = [...value].sort()
    else if (typeof value === 'string' && column.endsWith('_at')) {
      out[column] = formatTimestamp(value)
    } else out[column] = value
  }
  return out
}
