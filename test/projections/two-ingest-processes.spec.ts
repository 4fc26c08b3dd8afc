import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'

import type { DecodedEvent } from '@historian/envelope'
import { rebuildProjections } from '@historian/queries'

import { createTestTopology, type TestTopology } from '../support/broker.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { startIngest, type RunningProcess } from '../support/processes.js'
import { expectedProjectionRows } from '../support/projection-oracle.js'
import { readProjectionRows, type ProjectionRow } from '../support/projections.js'
import { randomEvents } from '../support/random-events.js'
import { seededRandom, type SeededRandom } from '../support/seeded-random.js'
import { waitFor } from '../support/wait-for.js'

/** Bounded: each round publishes the same events again, in another order. */
const ROUNDS = 3
const EVENTS = 80

describe('projections fed through RabbitMQ by two ingest processes', () => {
  let database: TestDatabase
  let topology: TestTopology
  const ingests: RunningProcess[] = []

  beforeAll(async () => {
    database = await createTestDatabase('projection_brokers')
    topology = await createTestTopology('projection_brokers')
    // Small batches that close quickly, so the two processes interleave their transactions.
    const env = {
      DATABASE_URL: database.url,
      ...topology.env,
      INGEST_BATCH_SIZE: '7',
      INGEST_BATCH_MAX_WAIT_MS: '2',
      INGEST_PREFETCH: '20',
    }
    ingests.push(...(await Promise.all([startIngest({ env }), startIngest({ env })])))
  })

  afterAll(async () => {
    await Promise.all(ingests.map((ingest) => ingest.stop('SIGKILL')))
    await topology?.cleanup()
    await database?.drop()
  })

  it('reach the same rows in every publish order, with redeliveries, as the rebuild', async () => {
    onTestFailed(() => {
      for (const ingest of ingests) console.log(ingest.output().slice(-3000))
    })
    const random = seededRandom(424242)
    const events = randomEvents(random, { count: EVENTS, distinctTimes: true })
    const rounds: Array<{ workflows: ProjectionRow[]; sessions: ProjectionRow[] }> = []

    for (let round = 0; round < ROUNDS; round++) {
      await sql`TRUNCATE events, workflow_state, agent_sessions RESTART IDENTITY`.execute(
        database.db,
      )
      await publish(random, events)
      await waitFor(async () => (await storedCount()) === events.length, {
        timeoutMs: 60_000,
        what: `${events.length} events stored`,
      })

      const positions = await storedPositions()
      const live = await readProjectionRows(database.db)
      expect(live).toEqual(expectedProjectionRows(withPositions(events, positions)))
      await rebuildProjections(database.db)
      expect(await readProjectionRows(database.db)).toEqual(live)
      rounds.push(canonical(live, positions))
    }

    for (const rows of rounds.slice(1)) expect(rows).toEqual(rounds[0])
    expect(ingests.map(insertedBy).every((inserted) => inserted > 0)).toBe(true)
  })

  /** Every event once, a third of them twice, in a random order. */
  async function publish(random: SeededRandom, events: readonly DecodedEvent[]): Promise<void> {
    const copies = events.filter(() => random.next() < 0.3)
    for (const event of random.shuffle([...events, ...copies])) {
      topology.channel.publish(topology.exchange, event.routingKey, Buffer.from(event.body), {
        contentType: 'application/json',
        deliveryMode: 2,
        messageId: event.eventId,
      })
    }
    await topology.channel.waitForConfirms()
  }

  async function storedCount(): Promise<number> {
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM events`.execute(database.db)
    return Number(rows[0]?.n)
  }

  async function storedPositions(): Promise<Map<string, string>> {
    const rows = await database.db.selectFrom('events').select(['event_id', 'position']).execute()
    return new Map(rows.map((row) => [row.event_id, row.position]))
  }
})

/** Events a process inserted, from its `batch committed` log lines. */
function insertedBy(ingest: RunningProcess): number {
  let inserted = 0
  for (const line of ingest.output().split('\n')) {
    if (!line.includes('"batch committed"')) continue
    inserted += (JSON.parse(line) as { inserted: number }).inserted
  }
  return inserted
}

function withPositions(events: readonly DecodedEvent[], positions: Map<string, string>) {
  return events.map((event) => ({ ...event, position: positions.get(event.eventId)! }))
}

/** The rows with every position replaced by its event's id, which no delivery order changes. */
function canonical(
  rows: { workflows: ProjectionRow[]; sessions: ProjectionRow[] },
  positions: Map<string, string>,
) {
  const ids = new Map([...positions].map(([id, position]) => [position, id]))
  const map = (row: ProjectionRow) =>
    Object.fromEntries(
      Object.entries(row).map(([column, value]) => [
        column,
        column.endsWith('position') && typeof value === 'string' ? ids.get(value) : value,
      ]),
    )
  return { workflows: rows.workflows.map(map), sessions: rows.sessions.map(map) }
}
