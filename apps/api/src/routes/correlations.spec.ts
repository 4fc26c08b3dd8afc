import { randomUUID } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js'
import { storeMessages, v1Message } from '../../../../test/support/stored-events.js'
import { createTestApp } from '../testing/test-app.js'

const at = (second: number) => `2026-03-01T10:00:${String(second).padStart(2, '0')}Z`

describe('GET /correlations/{id}', () => {
  let database: TestDatabase
  let app: ReturnType<typeof createTestApp>['app']
  const expected: string[] = []

  const ids = async (path: string) => {
    const res = await app.request(path)
    expect(res.status, path).toBe(200)
    return { res, ids: ((await res.json()) as Array<{ event_id: string }>).map((e) => e.event_id) }
  }

  beforeAll(async () => {
    database = await createTestDatabase('api_correlations')
    app = createTestApp(database).app

    const chained = (second: number, sessionId?: string) => {
      const eventId = randomUUID()
      const body = JSON.stringify({
        event_id: eventId,
        event_type: 'command.ack',
        timestamp: at(second),
        correlation_id: 'chain-9',
        ...(sessionId ? { agent_context: { session_id: sessionId } } : {}),
        payload: {},
      })
      return { eventId, body, routingKey: 'command.ack' }
    }
    const inSession = (second: number) =>
      v1Message({ event_type: 'agent.x.heartbeat', timestamp: at(second), session_id: 'chain-9' })

    // Stored out of time order; the one with both ids must be listed once.
    const mine = [chained(5), inSession(1), chained(3, 'chain-9'), inSession(4), chained(2)]
    const others = [
      v1Message({ event_type: 'agent.x.heartbeat', timestamp: at(2), session_id: 'other' }),
    ]
    await storeMessages(database.db, [...mine, ...others])
    expected.push(...[1, 4, 2, 3, 0].map((index) => mine[index]!.eventId))
  })

  afterAll(async () => {
    await database?.drop()
  })

  it('lists events sharing the chain or session id, each once, oldest first', async () => {
    expect((await ids('/api/v1/correlations/chain-9')).ids).toEqual(expected)
  })

  it('pages by cursor through Link headers to the same list', async () => {
    const seen: string[] = []
    let next: string | null = '/api/v1/correlations/chain-9?limit=2'

    while (next) {
      const page = await ids(next)
      seen.push(...page.ids)
      next = /^<([^>]+)>; rel="next"$/.exec(page.res.headers.get('link') ?? '')?.[1] ?? null
    }

    expect(seen).toEqual(expected)
  })

  it('honours offset', async () => {
    expect((await ids('/api/v1/correlations/chain-9?limit=2&offset=2')).ids).toEqual(
      expected.slice(2, 4),
    )
  })

  it('answers an empty list for an id nothing shares', async () => {
    expect((await ids('/api/v1/correlations/nobody')).ids).toEqual([])
  })

  it('answers 400 naming the parameter for a bad page', async () => {
    const res = await app.request('/api/v1/correlations/chain-9?limit=100000')

    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ param: 'limit' })
  })
})
