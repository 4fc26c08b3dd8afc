import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { DecodedEvent } from '@historian/envelope'

import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js'
import { readFixtureEvents, storeAndProject } from '../../../../test/support/projections.js'
import { createTestApp } from '../testing/test-app.js'
import { AgentSessionView } from './agents.js'

const SCOUT = 'agent:scout:main'
const VOICE = '77a69237-9cf3-4257-a058-4817fa4eda9e'
const CLAUDE = '55bd3322-b29f-472b-8c0a-cbe52464c5d3'

interface Session {
  session_id: string
  status: string
  event_count: number
}

describe('GET /agents and /agents/{session_id}', () => {
  let database: TestDatabase
  let app: ReturnType<typeof createTestApp>['app']
  let fixtures: Map<string, DecodedEvent>

  const get = (path: string) => app.request(`/api/v1${path}`)
  const json = async <T>(path: string): Promise<T> => {
    const res = await get(path)
    expect(res.status, path).toBe(200)
    return (await res.json()) as T
  }
  const listIds = async (query: string) =>
    (await json<Session[]>(`/agents?${query}`)).map((session) => session.session_id)
  const idsOf = (...numbers: string[]) => numbers.map((number) => fixtures.get(number)!.eventId)

  beforeAll(async () => {
    database = await createTestDatabase('api_agents')
    app = createTestApp(database).app
    fixtures = await readFixtureEvents()

    // Newest first, so that arrival order is the reverse of time order.
    for (const event of [...fixtures.values()].reverse()) {
      await storeAndProject(database.db, [event])
    }
  })

  afterAll(async () => {
    await database?.drop()
  })

  it('lists sessions most recently seen first, as a bare array', async () => {
    expect(await listIds('')).toEqual([CLAUDE, VOICE, SCOUT, 'sess-7c1e9b2a'])
  })

  it.each([
    ['agent=scout', [SCOUT]],
    ['agent_name=Builder', ['sess-7c1e9b2a']],
    ['agent=scout&status=ended', [SCOUT]],
    ['agent=scout&status=active', []],
  ])('filters by %s', async (query, expected) => {
    expect(await listIds(query)).toEqual(expected)
  })

  it('pages with limit and a Link cursor, without repeats or gaps', async () => {
    const seen: string[] = []

    let path: string | null = '/api/v1/agents?limit=1'
    while (path) {
      const res: Response = await app.request(path)
      seen.push(...((await res.json()) as Session[]).map((session) => session.session_id))
      path = /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '')?.[1] ?? null
    }

    expect(seen).toEqual(await listIds(''))
  })

  it('returns agent:scout:main ended with its 3 events, in the documented shape', async () => {
    const session = await json<Record<string, unknown>>(`/agents/${SCOUT}`)

    expect(AgentSessionView.parse(session)).toEqual(session)
    expect(session).toMatchObject({
      session_id: SCOUT,
      agent_name: 'scout',
      status: 'ended',
      event_count: 3,
      first_seen_at: '2026-03-05T07:58:02.331408Z',
      last_seen_at: '2026-03-05T15:02:00.412006Z',
    })
  })

  it('lists the events of agent:scout:main oldest first: 09, 10, 12', async () => {
    const events = await json<Array<{ event_id: string }>>(`/agents/${SCOUT}/events`)

    expect(events.map((event) => event.event_id)).toEqual(idsOf('09', '10', '12'))
  })

  it('pages the events of a session with a Link cursor', async () => {
    const res = await get(`/agents/${encodeURIComponent(SCOUT)}/events?limit=2`)
    const first = (await res.json()) as Array<{ event_id: string }>
    const next = /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '')?.[1]

    const second = (await (await app.request(next!)).json()) as typeof first

    expect([...first, ...second].map((event) => event.event_id)).toEqual(idsOf('09', '10', '12'))
  })

  it("finds 18's session by the id from its top-level session_id", async () => {
    const session = await json<Session>(`/agents/${VOICE}`)

    expect(session.event_count).toBe(1)
  })

  it.each(['/agents/nope', '/agents/nope/events'])(
    'answers 404 problem+json for an unknown session: %s',
    async (path) => {
      const res = await get(path)

      expect(res.status).toBe(404)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
    },
  )

  it.each([
    ['/agents?limit=0', 'limit'],
    ['/agents?after=zzz!', 'after'],
    ['/agents?agent=a&agent_name=b', 'agent_name'],
    [`/agents/${SCOUT}/events?after=bad!`, 'after'],
    ['/agents/a%00b', 'session_id'],
  ])('answers 400 problem+json naming the parameter for %s', async (path, param) => {
    const res = await get(path)

    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ status: 400, code: 'invalid_parameter', param })
  })
})
