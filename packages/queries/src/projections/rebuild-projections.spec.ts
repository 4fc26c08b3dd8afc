import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import type { DecodedEvent } from '@historian/envelope'

import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js'
import { expectedProjectionRows } from '../../../../test/support/projection-oracle.js'
import {
  readFixtureEvents,
  readProjectionRows,
  storeAndProject,
} from '../../../../test/support/projections.js'
import { randomEvents } from '../../../../test/support/random-events.js'
import { seededRandom } from '../../../../test/support/seeded-random.js'
import {
  RebuildAlreadyRunningError,
  rebuildProjections,
  type RebuildProgress,
} from './rebuild-projections.js'

let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase('projection_rebuild')
})

afterAll(async () => {
  await database?.drop()
})

beforeEach(async () => {
  await sql`TRUNCATE events, workflow_state, agent_sessions RESTART IDENTITY`.execute(database.db)
})

async function storeEach(events: readonly DecodedEvent[]): Promise<void> {
  for (const event of events) await storeAndProject(database.db, [event])
}

async function oracleRows() {
  const stored = await database.db.selectFrom('events').select(['event_id', 'position']).execute()
  const positions = new Map(stored.map((row) => [row.event_id, row.position]))
  return (events: readonly DecodedEvent[]) =>
    expectedProjectionRows(
      events
        .filter((event) => positions.has(event.eventId))
        .map((event) => ({ ...event, position: positions.get(event.eventId)! })),
    )
}

describe('rebuildProjections', () => {
  it('rebuilds nothing from no events', async () => {
    const result = await rebuildProjections(database.db)

    expect(result).toMatchObject({ eventsReplayed: 0, workflows: 0, sessions: 0 })
  })

  it('restores rows that were damaged or lost, from the events alone', async () => {
    await storeEach([...(await readFixtureEvents()).values()])
    const intact = await readProjectionRows(database.db)

    await database.db.updateTable('workflow_state').set({ last_status: 'bogus' }).execute()
    await database.db
      .deleteFrom('agent_sessions')
      .where('session_id', '=', 'agent:scout:main')
      .execute()
    const result = await rebuildProjections(database.db, { batchEvents: 4 })

    expect(await readProjectionRows(database.db)).toEqual(intact)
    expect(result).toMatchObject({ eventsReplayed: 24, workflows: 2, sessions: 4 })
  })

  it('re-derives the facts that have no column by decoding the stored body again', async () => {
    await storeEach([...(await readFixtureEvents()).values()])
    await database.db.deleteFrom('workflow_state').execute()

    await rebuildProjections(database.db)

    const row = await database.db
      .selectFrom('workflow_state')
      .select(['workflow_type', 'current_phase', 'checkpoint_ids', 'status'])
      .where('workflow_id', '=', 'bc504cbe-37e0-4bd1-9e68-73657bf72502')
      .executeTakeFirstOrThrow()
    expect(row).toEqual({
      workflow_type: 'feature-delivery',
      current_phase: 'solutioning',
      checkpoint_ids: ['ckpt-0003', 'ckpt-final'],
      status: 'completed',
    })
  })

  it('reports progress through replay, swap and done, and leaves no shadow tables', async () => {
    await storeEach(randomEvents(seededRandom(5), { count: 30, distinctTimes: true }))
    const phases: RebuildProgress['phase'][] = []

    await rebuildProjections(database.db, {
      batchEvents: 7,
      onProgress: (progress) => phases.push(progress.phase),
    })

    expect(phases).toEqual(['replay', 'replay', 'replay', 'replay', 'replay', 'swap', 'done'])
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM pg_class WHERE relname LIKE '%\_rebuild'
    `.execute(database.db)
    expect(rows[0]?.n).toBe('0')
  })

  it('never reports a position past the head while writers add events', async () => {
    const events = randomEvents(seededRandom(7), { count: 90, distinctTimes: true })
    await storeEach(events.slice(0, 30))
    const reports: RebuildProgress[] = []

    const queue = events.slice(30).map((event) => [event])
    const writer = async () => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) {
        await storeAndProject(database.db, batch)
      }
    }
    await Promise.all([
      rebuildProjections(database.db, {
        batchEvents: 2,
        onProgress: (progress) => reports.push(progress),
      }),
      writer(),
      writer(),
    ])

    for (const report of reports) {
      expect(BigInt(report.position), report.phase).toBeLessThanOrEqual(
        BigInt(report.headPosition),
      )
    }
    const swap = reports.find((report) => report.phase === 'swap')
    expect(reports.at(-1)).toMatchObject({ phase: 'done', position: swap?.position })
  })

  it('refuses to run twice at once', async () => {
    await storeEach(randomEvents(seededRandom(6), { count: 20, distinctTimes: true }))
    let second: Promise<unknown> | undefined

    await rebuildProjections(database.db, {
      batchEvents: 5,
      onProgress: (progress) => {
        second ??= rebuildProjections(database.db).catch((error: unknown) => error)
      },
    })

    expect(await second).toBeInstanceOf(RebuildAlreadyRunningError)
    await expect(rebuildProjections(database.db)).resolves.toMatchObject({ eventsReplayed: 20 })
  })

  it('loses nothing while two writers keep storing and projecting during the rebuild', async () => {
    const random = seededRandom(2026)
    const events = randomEvents(random, { count: 240, distinctTimes: false })
    await storeEach(events.slice(0, 80))

    const queue = events.slice(80).map((event) => [event])
    const writer = async () => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) {
        await storeAndProject(database.db, batch)
      }
    }
    const [result] = await Promise.all([
      rebuildProjections(database.db, { batchEvents: 3 }),
      writer(),
      writer(),
    ])

    expect(result.eventsReplayed).toBeGreaterThanOrEqual(80)
    const live = await readProjectionRows(database.db)
    expect(live).toEqual((await oracleRows())(events))
    await rebuildProjections(database.db)
    expect(await readProjectionRows(database.db)).toEqual(live)
  })
})
