import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { DecodedEvent } from '@historian/envelope'

import { appendEvents } from '../append-events.js'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js'
import { expectedProjectionRows } from '../../../../test/support/projection-oracle.js'
import {
  readProjectionRows,
  storeAndProject,
  type ProjectionRow,
} from '../../../../test/support/projections.js'
import { randomEvents } from '../../../../test/support/random-events.js'
import { seededRandom, type SeededRandom } from '../../../../test/support/seeded-random.js'
import { applyProjections } from './apply-projections.js'
import type { ProjectedEvent } from './projected-event.js'
import { rebuildProjections } from './rebuild-projections.js'

/** Bounded so the suite stays fast; a failure names its seed, which replays it exactly. */
const SEEDS = [11, 23, 37, 41, 59, 67]
const ORDERS_PER_SEED = 4
const EVENTS_PER_SEED = 60

let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase('projection_orders')
})

afterAll(async () => {
  await database?.drop()
})

describe.each(SEEDS)('the same events in %i-seeded random orders', (seed) => {
  it('give identical rows in every order, with duplicates, from two writers', async () => {
    const random = seededRandom(seed)
    const events = randomEvents(random, { count: EVENTS_PER_SEED, distinctTimes: true })
    const seen: Array<Awaited<ReturnType<typeof canonicalRows>>> = []

    for (let order = 0; order < ORDERS_PER_SEED; order++) {
      await reset()
      await deliverByTwoWriters(batchesOf(random, withCopies(random, events)))

      await expectOracleAndRebuildToAgree(events)
      seen.push(await canonicalRows())
    }

    for (const rows of seen.slice(1)) expect(rows).toEqual(seen[0])
  })

  it('match the oracle and the rebuild when times tie and positions decide', async () => {
    const random = seededRandom(seed * 7919)
    const events = randomEvents(random, { count: EVENTS_PER_SEED, distinctTimes: false })

    for (let order = 0; order < ORDERS_PER_SEED; order++) {
      await reset()
      await deliverByTwoWriters(batchesOf(random, withCopies(random, events)))

      await expectOracleAndRebuildToAgree(events)
    }
  })

  it('match when two transactions project batches at once, with no append lock', async () => {
    const random = seededRandom(seed * 104729)
    const events = randomEvents(random, { count: EVENTS_PER_SEED, distinctTimes: false })

    for (let order = 0; order < ORDERS_PER_SEED; order++) {
      await reset()
      const stored = await database.db
        .transaction()
        .execute((trx) => appendEvents(trx, random.shuffle(events)))

      const queue = batchesOf(random, random.shuffle(stored))
      const writer = async () => {
        for (let batch = queue.shift(); batch; batch = queue.shift()) {
          const mine = batch
          await database.db.transaction().execute((trx) => applyProjections(trx, mine))
        }
      }
      await Promise.all([writer(), writer()])

      await expectOracleAndRebuildToAgree(events)
    }
  })
})

async function reset(): Promise<void> {
  await sql`TRUNCATE events, workflow_state, agent_sessions RESTART IDENTITY`.execute(database.db)
}

/** Redelivered copies of about a third of the events, mixed in anywhere. */
function withCopies(random: SeededRandom, events: readonly DecodedEvent[]): DecodedEvent[] {
  const copies = events.filter(() => random.next() < 0.3)
  return random.shuffle([...events, ...copies])
}

/** Cuts a stream into batches of 1 to 12, as the ingest's batching would. */
function batchesOf<T>(random: SeededRandom, stream: readonly T[]): T[][] {
  const batches: T[][] = []
  for (let start = 0; start < stream.length; ) {
    const size = 1 + random.int(12)
    batches.push(stream.slice(start, start + size))
    start += size
  }
  return batches
}

/** Two ingest-like writers taking batches from one queue, each batch in its own transaction. */
async function deliverByTwoWriters(batches: DecodedEvent[][]): Promise<void> {
  const queue = [...batches]
  const writer = async () => {
    for (let batch = queue.shift(); batch; batch = queue.shift()) {
      await storeAndProject(database.db, batch)
    }
  }
  await Promise.all([writer(), writer()])
}

async function storedPositions(): Promise<Map<string, string>> {
  const rows = await database.db.selectFrom('events').select(['event_id', 'position']).execute()
  return new Map(rows.map((row) => [row.event_id, row.position]))
}

async function expectOracleAndRebuildToAgree(events: readonly DecodedEvent[]): Promise<void> {
  const positions = await storedPositions()
  const projected: ProjectedEvent[] = events.map((event) => ({
    ...event,
    position: positions.get(event.eventId)!,
  }))
  const live = await readProjectionRows(database.db)

  expect(live).toEqual(expectedProjectionRows(projected))

  await rebuildProjections(database.db)
  expect(await readProjectionRows(database.db)).toEqual(live)
}

/** The rows with every position replaced by its event's id, which no delivery order changes. */
async function canonicalRows(): Promise<{ workflows: ProjectionRow[]; sessions: ProjectionRow[] }> {
  const ids = new Map([...(await storedPositions())].map(([id, position]) => [position, id]))
  const canonical = (row: ProjectionRow) =>
    Object.fromEntries(
      Object.entries(row).map(([column, value]) => [
        column,
        column.endsWith('position') && typeof value === 'string' ? ids.get(value) : value,
      ]),
    )

  const rows = await readProjectionRows(database.db)
  return { workflows: rows.workflows.map(canonical), sessions: rows.sessions.map(canonical) }
}
