import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js'
import { appendTestEvents } from '../../../../test/support/stream-events.js'
import { parseEventTypePattern } from '../event-type-pattern.js'
import { readStreamPage } from './read-stream-page.js'

const ALL = 2n ** 62n
const ALL_OF_IT = { after: 0n, upTo: ALL, maxBytes: 1 << 20 }

describe('readStreamPage', () => {
  let database: TestDatabase
  let positions: number[]

  beforeAll(async () => {
    database = await createTestDatabase('stream_page')
    positions = await appendTestEvents(database.pool, [
      { eventType: 'a.one', payload: `{"blob":"${'x'.repeat(4000)}"}` },
      { eventType: 'b.two', workflowId: 'wf-1' },
      { eventType: 'a.three', workflowId: 'wf-1', payload: `{"blob":"${'y'.repeat(4000)}"}` },
      { eventType: 'a.four', workflowId: 'wf-1' },
    ])
  })

  afterAll(async () => {
    await database?.drop()
  })

  it('reads in position order after a position and says when nothing is left', async () => {
    const page = await readStreamPage(database.db, { ...ALL_OF_IT, limit: 10 })

    expect(page.events.map((event) => Number(event.position))).toEqual(positions)
    expect(page.complete).toBe(true)
    expect(page.events[0]?.parent_ids).toEqual([])
  })

  it('is not complete when the row limit cut it', async () => {
    const page = await readStreamPage(database.db, { ...ALL_OF_IT, limit: 4 })

    expect(page.events).toHaveLength(4)
    expect(page.complete).toBe(false)
  })

  it('cuts the page where the bodies pass the byte limit, keeping at least one event', async () => {
    const sizes = await database.pool.query<{ bytes: number }>(
      'SELECT octet_length(body) AS bytes FROM events ORDER BY position',
    )
    const [first, second] = sizes.rows.map((row) => row.bytes) as [number, number]

    const tiny = await readStreamPage(database.db, { after: 0n, upTo: ALL, limit: 10, maxBytes: 1 })
    const two = await readStreamPage(database.db, {
      after: 0n,
      upTo: ALL,
      limit: 10,
      maxBytes: first + second,
    })

    expect(tiny.events.map((event) => Number(event.position))).toEqual(positions.slice(0, 1))
    expect(tiny.complete).toBe(false)
    expect(two.events.map((event) => Number(event.position))).toEqual(positions.slice(0, 2))
    expect(two.complete).toBe(false)
  })

  it('reads nothing above upTo and is complete there', async () => {
    const upTo = BigInt(positions[1] as number)

    const page = await readStreamPage(database.db, { after: 0n, upTo, limit: 10, maxBytes: 1e6 })

    expect(page.events.map((event) => Number(event.position))).toEqual(positions.slice(0, 2))
    expect(page.complete).toBe(true)
  })

  it('applies the filter in SQL, patterns included', async () => {
    const page = await readStreamPage(database.db, {
      after: BigInt(positions[1] as number),
      upTo: ALL,
      limit: 10,
      maxBytes: 1 << 20,
      filter: { eventType: parseEventTypePattern('a.*'), workflowId: 'wf-1' },
    })

    expect(page.events.map((event) => Number(event.position))).toEqual(positions.slice(2))
    expect(page.complete).toBe(true)
  })
})
