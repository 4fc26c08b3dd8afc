import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createPool } from '@historian/db'

import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js'
import { appendTestEvents } from '../../../../test/support/stream-events.js'
import { safePosition } from './safe-position.js'

/**
 * Two writers that commit out of order, held open by hand: the reader's bound must stay below
 * the one that has not committed, whatever the other did.
 */
describe('safePosition with ingest transactions committing out of order', () => {
  let database: TestDatabase
  let first: pg.PoolClient
  let second: pg.PoolClient

  // A type already stored: a new one would make the second writer wait for the first at the
  // event_types trigger, which is not what these tests are about.
  const insertOne = async (client: pg.PoolClient, id: string) => {
    const { rows } = await client.query<{ position: string }>(
      `INSERT INTO events (event_id, event_type, routing_key, exchange, occurred_at, received_at,
         format, body)
       SELECT $1, 'test.event.happened', 't', 'x', now(), now(), 'unknown', '{}'
       FROM (SELECT historian_reserve_positions()) AS reservation
       RETURNING position::text`,
      [id],
    )
    return BigInt(rows[0]!.position)
  }

  beforeAll(async () => {
    database = await createTestDatabase('safe_position')
    first = await database.pool.connect()
    second = await database.pool.connect()
  })

  afterAll(async () => {
    first?.release()
    second?.release()
    await database?.drop()
  })

  it('is 0 for an empty history', async () => {
    expect(await safePosition(database.db)).toBe(0n)
  })

  it('is the newest position when nothing is being written', async () => {
    const positions = await appendTestEvents(database.pool, [{}, {}], { notify: false })

    expect(await safePosition(database.db)).toBe(BigInt(positions.at(-1)!))
  })

  it('stays below an open transaction while a later one commits, then passes both', async () => {
    const [before] = await appendTestEvents(database.pool, [{}], { notify: false })

    await first.query('BEGIN')
    const early = await insertOne(first, '00000000-0000-4000-8000-000000000001')
    await second.query('BEGIN')
    const late = await insertOne(second, '00000000-0000-4000-8000-000000000002')
    await second.query('COMMIT')

    expect(late).toBeGreaterThan(early)
    const whileOpen = await safePosition(database.db)
    expect(whileOpen).toBe(BigInt(before!))
    expect(whileOpen).toBeLessThan(early)

    await first.query('COMMIT')
    expect(await safePosition(database.db)).toBeGreaterThanOrEqual(late)
  })

  it('moves on when the open transaction rolls back', async () => {
    await first.query('BEGIN')
    const abandoned = await insertOne(first, '00000000-0000-4000-8000-000000000003')
    expect(await safePosition(database.db)).toBeLessThan(abandoned)

    await first.query('ROLLBACK')

    expect(await safePosition(database.db)).toBeGreaterThanOrEqual(abandoned)
  })

  it('lets the next writer reserve after a writer whose insert failed', async () => {
    await first.query('BEGIN')
    await expect(insertOne(first, 'not-a-uuid')).rejects.toThrow(/uuid/)
    await first.query('ROLLBACK')

    // The short session lock must not outlive the failed statement.
    await second.query("SET lock_timeout = '2s'")
    const [position] = await appendTestEvents(database.pool, [{}], { notify: false })
    await second.query('BEGIN')
    await insertOne(second, '00000000-0000-4000-8000-000000000004')
    await second.query('COMMIT')

    expect(await safePosition(database.db)).toBeGreaterThan(BigInt(position!))
  })

  it('moves on once Postgres ends a writer that froze inside its transaction', async () => {
    // The ingest's pool sets this to 10 s; a frozen process is a writer that stops talking.
    const pool = createPool(database.url, { max: 1, idleInTransactionTimeoutMs: 300 })
    const frozen = await pool.connect()
    try {
      await frozen.query('BEGIN')
      const held = await insertOne(frozen, '00000000-0000-4000-8000-000000000005')
      expect(await safePosition(database.db)).toBeLessThan(held)

      await new Promise((resolve) => setTimeout(resolve, 1_000))

      expect(await safePosition(database.db)).toBeGreaterThanOrEqual(held)
      await expect(frozen.query('SELECT 1')).rejects.toThrow()
    } finally {
      frozen.release(true)
      await pool.end()
    }
  })

  it('ignores the transactions of another database', async () => {
    const other = await createTestDatabase('safe_position_other')
    const client = await other.pool.connect()
    try {
      await client.query('BEGIN')
      await client.query('SELECT historian_reserve_positions()')
      const [position] = await appendTestEvents(database.pool, [{}], { notify: false })

      expect(await safePosition(database.db)).toBe(BigInt(position!))
      await client.query('ROLLBACK')
    } finally {
      client.release()
      await other.drop()
    }
  })
})
