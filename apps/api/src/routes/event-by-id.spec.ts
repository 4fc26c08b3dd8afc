import { randomUUID } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js'
import { storeMessages, v1Message } from '../../../../test/support/stored-events.js'
import { createTestApp } from '../testing/test-app.js'

describe('GET /events/{id} and /events/{id}/raw', () => {
  let database: TestDatabase
  let app: ReturnType<typeof createTestApp>['app']

  const plain = v1Message({
    event_type: 'agent.scout.started',
    timestamp: '2026-03-01T10:00:00.1234567Z',
    payload: { note: 'plain' },
  })
  // Spacing, key order, escapes, a NUL, non-ASCII text and big numbers: all must come back.
  const oddBody =
    '{ "event_id" : "wf-42",\n  "event_type":"workflow.legacy",' +
    ' "timestamp":"2026-03-01T10:00:01Z",' +
    '\t"payload":{"z":1,"a":"caf\\u00e9 ☕ \\u0000 end","big":98765432109876543210987654321,' +
    '"tiny":1e-400,"list":[1.50,2.000]} }'

  beforeAll(async () => {
    database = await createTestDatabase('api_event_by_id')
    app = createTestApp(database).app
    await storeMessages(database.db, [plain, { body: oddBody, routingKey: 'workflow.legacy' }])
  })

  afterAll(async () => {
    await database?.drop()
  })

  it('returns one event in the v1 shape', async () => {
    const res = await app.request(`/api/v1/events/${plain.eventId}`)

    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await res.json()).toMatchObject({
      event_id: plain.eventId,
      event_type: 'agent.scout.started',
      timestamp: '2026-03-01T10:00:00.123457Z',
      version: '1.0.0',
      payload: { note: 'plain' },
    })
  })

  it('finds an event by its id in upper case', async () => {
    const res = await app.request(`/api/v1/events/${plain.eventId.toUpperCase()}`)

    expect(res.status).toBe(200)
    expect(((await res.json()) as { event_id: string }).event_id).toBe(plain.eventId)
  })

  it('finds an event whose id was not a UUID by that original text', async () => {
    const res = await app.request('/api/v1/events/wf-42')

    expect(res.status).toBe(200)
    const event = (await res.json()) as { event_id: string; flags: string[] }
    expect(event.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-/)
    expect(event.flags).toContain('id_mapped')

    const byUuid = await app.request(`/api/v1/events/${event.event_id}`)
    expect(byUuid.status).toBe(200)
  })

  it('keeps every digit of a big number in the v1 view', async () => {
    const text = await (await app.request('/api/v1/events/wf-42')).text()

    expect(text).toContain('"big":98765432109876543210987654321')
    expect(text).toContain('"tiny":1e-400')
    expect(text).toContain('"list":[1.50,2.000]')
  })

  it('gives the body byte for byte as application/json', async () => {
    const res = await app.request('/api/v1/events/wf-42/raw')

    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(oddBody, 'utf8'))).toBe(true)
  })

  it.each([
    [`/api/v1/events/${randomUUID()}`],
    ['/api/v1/events/no-such-event'],
    [`/api/v1/events/${randomUUID()}/raw`],
    ['/api/v1/events/no-such-event/raw'],
  ])('answers 404 problem+json for an unknown id: %s', async (path) => {
    const res = await app.request(path)

    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toMatchObject({ status: 404, code: 'not_found' })
  })
})
