import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js'
import { storeMessages, v1Message } from '../../../../test/support/stored-events.js'
import { createTestApp } from '../testing/test-app.js'

interface Stats {
  bucket: string
  series: Array<{ key: string | null; counts: Array<{ t: string; n: number }> }>
}

describe('GET /stats', () => {
  let database: TestDatabase
  let app: ReturnType<typeof createTestApp>['app']
  const range = 'start_time=2026-03-01T00:00:00Z&end_time=2026-03-03T00:00:00Z'

  const stats = async (query: string) => {
    const res = await app.request(`/api/v1/stats?${query}`)
    expect(res.status, query).toBe(200)
    return (await res.json()) as Stats
  }

  beforeAll(async () => {
    database = await createTestDatabase('api_stats')
    app = createTestApp(database).app

    const event = (type: string, timestamp: string, source = 'bmad') =>
      v1Message({ event_type: type, timestamp, source_app: source, routing_key: type })
    await storeMessages(database.db, [
      event('agent.scout.started', '2026-03-01T10:00:10Z', 'agents'),
      event('agent.scout.heartbeat', '2026-03-01T10:00:50Z', 'agents'),
      event('agent.scout.heartbeat', '2026-03-01T10:01:05Z', 'agents'),
      event('agent.builder.started', '2026-03-01T11:30:00Z', 'agents'),
      event('bmad.workflow.started', '2026-03-01T10:59:59.999999Z'),
      event('bmad.workflow.started', '2026-03-02T09:00:00Z'),
      // Outside the range: the end is exclusive.
      event('bmad.workflow.started', '2026-03-03T00:00:00Z'),
    ])
  })

  afterAll(async () => {
    await database?.drop()
  })

  it('counts per event type and hour by default', async () => {
    expect(await stats(range)).toMatchObject({
      bucket: 'hour',
      series: [
        { key: 'agent.builder.started', counts: [{ t: '2026-03-01T11:00:00.000000Z', n: 1 }] },
        { key: 'agent.scout.heartbeat', counts: [{ t: '2026-03-01T10:00:00.000000Z', n: 2 }] },
        { key: 'agent.scout.started', counts: [{ t: '2026-03-01T10:00:00.000000Z', n: 1 }] },
        {
          key: 'bmad.workflow.started',
          counts: [
            { t: '2026-03-01T10:00:00.000000Z', n: 1 },
            { t: '2026-03-02T09:00:00.000000Z', n: 1 },
          ],
        },
      ],
    })
  })

  it('labels buckets in the timestamp format of start_time and every other time', async () => {
    const answer = (await stats(`bucket=day&${range}`)) as Stats & { start_time: string }
    const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/

    const times = answer.series.flatMap((series) => series.counts.map((count) => count.t))

    expect(answer.start_time).toMatch(TIMESTAMP)
    expect(times.length).toBeGreaterThan(0)
    for (const t of times) expect(t).toMatch(TIMESTAMP)
  })

  it('groups by agent, with events that have none under a null key', async () => {
    const { series } = await stats(`group_by=agent&bucket=day&${range}`)

    expect(series).toEqual([
      { key: 'builder', counts: [{ t: '2026-03-01T00:00:00.000000Z', n: 1 }] },
      { key: 'scout', counts: [{ t: '2026-03-01T00:00:00.000000Z', n: 3 }] },
      {
        key: null,
        counts: [
          { t: '2026-03-01T00:00:00.000000Z', n: 1 },
          { t: '2026-03-02T00:00:00.000000Z', n: 1 },
        ],
      },
    ])
  })

  it('groups by source per minute', async () => {
    const { bucket, series } = await stats(
      'group_by=source&bucket=minute&since=2026-03-01T10:00:00Z&until=2026-03-01T11:00:00Z',
    )

    expect(bucket).toBe('minute')
    expect(series).toEqual([
      {
        key: 'agents',
        counts: [
          { t: '2026-03-01T10:00:00.000000Z', n: 2 },
          { t: '2026-03-01T10:01:00.000000Z', n: 1 },
        ],
      },
      { key: 'bmad', counts: [{ t: '2026-03-01T10:59:00.000000Z', n: 1 }] },
    ])
  })

  it.each([
    ['group_by=colour', 'group_by'],
    ['bucket=week', 'bucket'],
    ['start_time=soon', 'start_time'],
    ['start_time=2026-03-02T00:00:00Z&end_time=2026-03-01T00:00:00Z', 'end_time'],
    ['bucket=minute&start_time=2020-01-01T00:00:00Z&end_time=2026-01-01T00:00:00Z', 'start_time'],
  ])('answers 400 naming the parameter for %s', async (query, param) => {
    const res = await app.request(`/api/v1/stats?${query}`)

    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ status: 400, param })
  })
})
