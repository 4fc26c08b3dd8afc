import { randomUUID } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js'
import {
  storeMessages,
  v1Message,
  type TestMessage,
} from '../../../../test/support/stored-events.js'
import { createTestApp } from '../testing/test-app.js'

const at = (time: string) => `2026-03-01T${time}Z`

interface Listed {
  event_id: string
  event_type: string
  position: number
  timestamp: string
}

describe('GET /events', () => {
  let database: TestDatabase
  let app: ReturnType<typeof createTestApp>['app']
  const ids: Record<string, string> = {}

  const list = async (query: string) => {
    const res = await app.request(`/api/v1/events?${query}`)
    expect(res.status, query).toBe(200)
    return { res, events: (await res.json()) as Listed[] }
  }
  const listIds = async (query: string) => (await list(query)).events.map((e) => e.event_id)
  const named = (...names: string[]) => names.map((name) => ids[name])

  beforeAll(async () => {
    database = await createTestDatabase('api_events')
    app = createTestApp(database, { API_MAX_PAGE_SIZE: '50' }).app

    const messages: Array<[string, TestMessage & { eventId: string }]> = [
      ['wfStart', workflowEvent('bmad.workflow.started', 'W1', at('10:00:00'))],
      ['wfPhase', workflowEvent('bmad.workflow.phase.completed', 'W1', at('10:05:00'))],
      ['wfDone', workflowEvent('bmad.workflow.completed', 'W1', at('10:10:00'))],
      ['scoutStart', agentEvent('agent.scout.started', 'sess-scout', at('10:01:00'))],
      ['scoutBeat', agentEvent('agent.scout.heartbeat', 'sess-scout', at('10:03:00'))],
      ['builderStart', agentEvent('agent.builder.started', 'sess-builder', at('10:02:00'))],
      ['command', serviceEvent('command.envelope', 'command.builder.run', at('10:04:00'))],
      ['otherWf', workflowEvent('bmad.workflow.started', 'W2', at('09:00:00'))],
    ]
    const ack = serviceEvent('command.ack', 'command.ack', at('10:06:00'), messages[6]![1].eventId)
    messages.push(['ack', ack])

    // Two batches, so that positions and times disagree: the order must come from time.
    await storeMessages(database.db, messages.slice(0, 4).map(([, m]) => m))
    await storeMessages(database.db, messages.slice(4).map(([, m]) => m))
    for (const [name, message] of messages) ids[name] = message.eventId
  })

  afterAll(async () => {
    await database?.drop()
  })

  it('lists newest first by default and oldest first with order=asc', async () => {
    const all = named('otherWf', 'wfStart', 'scoutStart', 'builderStart', 'scoutBeat')
    all.push(...named('command', 'wfPhase', 'ack', 'wfDone'))

    expect(await listIds('')).toEqual([...all].reverse())
    expect(await listIds('order=asc')).toEqual(all)
  })

  it('renders each event in the v1 shape with the position as a number', async () => {
    const { events } = await list('routing_key=command.ack')

    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      event_id: ids.ack,
      event_type: 'command.ack',
      routing_key: 'command.ack',
      timestamp: '2026-03-01T10:06:00.000000Z',
      correlation_ids: [ids.command],
      correlation_id: 'chain-1',
      source: { app: 'command-adapter' },
      format: 'envelope_v1_service',
    })
    expect(typeof events[0]!.position).toBe('number')
  })

  it.each([
    ['workflow_id=W1', ['wfStart', 'wfPhase', 'wfDone']],
    ['correlation_id=chain-1', ['command', 'ack']],
    ['event_type=agent.scout.started', ['scoutStart']],
    ['routing_key=command.builder.run', ['command']],
    ['agent=scout', ['scoutStart', 'scoutBeat']],
    ['session_id=sess-builder', ['builderStart']],
    ['source=bmad', ['otherWf', 'wfStart', 'wfPhase', 'wfDone']],
    ['source=command-adapter', ['command', 'ack']],
  ])('filters by %s', async (query, expected) => {
    expect(await listIds(`${query}&order=asc`)).toEqual(named(...expected))
  })

  it('reads start_time as inclusive and end_time as exclusive, aliases alike', async () => {
    const expected = named('builderStart', 'scoutBeat', 'command')
    const range = `start_time=${at('10:02:00')}&end_time=${at('10:05:00')}&order=asc`
    const aliases = `since=${at('10:02:00')}&until=${at('10:05:00')}&order=asc`

    expect(await listIds(range)).toEqual(expected)
    expect(await listIds(aliases)).toEqual(expected)
  })

  it('reads a time without a zone as UTC and one with an offset as that instant', async () => {
    expect(await listIds('start_time=2026-03-01T10:06:00&order=asc')).toEqual(
      named('ack', 'wfDone'),
    )
    expect(await listIds('end_time=2026-03-01T11:00:01%2B01:00&order=asc')).toEqual(
      named('otherWf', 'wfStart'),
    )
  })

  it.each([
    ['event_type=bmad.workflow.*', ['otherWf', 'wfStart', 'wfPhase', 'wfDone']],
    ['event_type=bmad.workflow.phase.%23', ['wfPhase']],
    ['event_type=agent.', ['scoutStart', 'builderStart', 'scoutBeat']],
    ['event_type=agent.*.started', ['scoutStart', 'builderStart']],
    ['event_type=command.ack,bmad.workflow.completed', ['ack', 'wfDone']],
    ['event_type=command.*,agent.scout.', ['scoutStart', 'scoutBeat', 'command', 'ack']],
    ['event_type=*&limit=5', ['otherWf', 'wfStart', 'scoutStart', 'builderStart', 'scoutBeat']],
    ['event_type=nothing.*', []],
    ['event_type=nothing.here', []],
  ])('matches the pattern %s', async (query, expected) => {
    expect(await listIds(`${query}&order=asc`)).toEqual(named(...expected))
  })

  it.each([
    ['workflow_id=W1&event_type=bmad.workflow.*,agent.', ['wfStart', 'wfPhase', 'wfDone']],
    ['workflow_id=W1&event_type=*.completed', ['wfPhase', 'wfDone']],
    ['agent=scout&start_time=' + at('10:02:00'), ['scoutBeat']],
    ['source=bmad&workflow_id=W2', ['otherWf']],
    ['correlation_id=chain-1&routing_key=command.ack', ['ack']],
    ['event_type=agent.*&session_id=sess-scout&until=' + at('10:02:00'), ['scoutStart']],
    ['workflow_id=W1&agent=scout', []],
  ])('combines filters: %s', async (query, expected) => {
    expect(await listIds(`${query}&order=asc`)).toEqual(named(...expected))
  })

  it('pages a multi-type pattern by cursor in the same order as one long page', async () => {
    const query = 'event_type=bmad.*,agent.*,command.ack'
    const whole = await listIds(query)

    const walked = await walkPages(app, `/api/v1/events?${query}&limit=2`)

    expect(whole).toHaveLength(8)
    expect(walked.flat()).toEqual(whole)
    expect(walked.map((page) => page.length)).toEqual([2, 2, 2, 2])
  })

  it('links the next page, keeping the filters and dropping offset', async () => {
    const { res } = await list('workflow_id=W1&limit=2&offset=0&order=asc')

    const link = res.headers.get('link')
    expect(link).toMatch(/^<\/api\/v1\/events\?[^>]*>; rel="next"$/)
    const next = new URL(link!.slice(1, link!.indexOf('>')), 'http://localhost')
    expect(next.searchParams.get('workflow_id')).toBe('W1')
    expect(next.searchParams.get('order')).toBe('asc')
    expect(next.searchParams.get('limit')).toBe('2')
    expect(next.searchParams.has('offset')).toBe(false)
    expect(next.searchParams.get('after')).toMatch(/^[A-Za-z0-9_-]+$/)

    const last = await app.request(next.pathname + next.search)
    expect(((await last.json()) as Listed[]).map((e) => e.event_id)).toEqual(named('wfDone'))
    expect(last.headers.get('link')).toBeNull()
  })

  it('still honours offset, alone and after a cursor', async () => {
    const all = await listIds('order=asc')

    expect(await listIds('order=asc&limit=3&offset=2')).toEqual(all.slice(2, 5))

    const { res } = await list('order=asc&limit=2')
    const after = new URL(res.headers.get('link')!.slice(1, -13), 'http://x').searchParams
    expect(await listIds(`order=asc&limit=2&offset=1&after=${after.get('after')}`)).toEqual(
      all.slice(3, 5),
    )
  })

  it('defaults limit to API_DEFAULT_PAGE_SIZE', async () => {
    const small = createTestApp(database, { API_DEFAULT_PAGE_SIZE: '3' }).app

    const res = await small.request('/api/v1/events')

    expect(((await res.json()) as Listed[]).length).toBe(3)
    expect(res.headers.get('link')).not.toBeNull()
  })

  it('breaks ties on time by position, in both directions and across pages', async () => {
    const sameTime = at('12:00:00.123456')
    const batches = [0, 1, 2].map(() =>
      [0, 1, 2].map(() => v1Message({ event_type: 'tie.test', timestamp: sameTime })),
    )
    const positions: number[] = []
    for (const batch of batches) {
      const stored = await storeMessages(database.db, batch)
      positions.push(...stored.map((event) => Number(event.position)))
    }

    const asc = (await list('event_type=tie.test&order=asc')).events.map((e) => e.position)
    const desc = (await list('event_type=tie.test')).events.map((e) => e.position)
    const paged = await walkPages(app, '/api/v1/events?event_type=tie.test&limit=2')

    expect(asc).toEqual([...positions].sort((a, b) => a - b))
    expect(desc).toEqual([...asc].reverse())
    expect(paged.flat()).toEqual(await listIds('event_type=tie.test'))
  })

  it('keeps every digit of big numbers in payloads', async () => {
    const eventId = randomUUID()
    const body =
      `{"event_id":"${eventId}","event_type":"big.number","timestamp":"${at('13:00:00')}",` +
      `"payload":{"big":123456789012345678901234567890,"precise":0.10000000000000000000001,` +
      `"max":9007199254740993}}`
    await storeMessages(database.db, [{ body, routingKey: 'big.number' }])

    const text = await (await app.request('/api/v1/events?event_type=big.number')).text()

    expect(text).toContain('"big":123456789012345678901234567890')
    expect(text).toContain('"precise":0.10000000000000000000001')
    expect(text).toContain('"max":9007199254740993')
  })

  it.each([
    ['limit=51', 'limit'],
    ['limit=0', 'limit'],
    ['limit=ten', 'limit'],
    ['offset=-1', 'offset'],
    ['start_time=yesterday', 'start_time'],
    ['end_time=2026-02-30T00:00:00Z', 'end_time'],
    ['since=2026-13-01', 'since'],
    ['until=2026-03-01T25:00:00Z', 'until'],
    ['start_time=2026-03-01&since=2026-03-02', 'since'],
    ['order=sideways', 'order'],
    ['after=not-a-cursor', 'after'],
    ['after=' + Buffer.from('2026-03-01T00:00:00Z|-4').toString('base64url'), 'after'],
    ['event_type=,', 'event_type'],
    ['workflow_id=', 'workflow_id'],
    ['agent=a&agent=b', 'agent'],
  ])('answers 400 problem+json naming the parameter for %s', async (query, param) => {
    const res = await app.request(`/api/v1/events?${query}`)

    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    const problem = (await res.json()) as Record<string, unknown>
    expect(problem).toMatchObject({ status: 400, code: 'invalid_parameter', param })
    expect(String(problem.detail)).toContain(param)
    expect(JSON.stringify(problem)).not.toMatch(/\bat .*\.ts:\d+/)
  })
})

describe('GET /events cursor pages while events keep arriving', () => {
  let database: TestDatabase
  let app: ReturnType<typeof createTestApp>['app']

  beforeAll(async () => {
    database = await createTestDatabase('api_events_walk')
    app = createTestApp(database).app
  })

  afterAll(async () => {
    await database?.drop()
  })

  it('sees every event exactly once, oldest first, including those that arrive later', async () => {
    const initial = Array.from({ length: 30 }, (_, i) =>
      v1Message({ event_type: 'walk.asc', timestamp: at(`14:00:${pad(i)}`) }),
    )
    await storeMessages(database.db, initial)
    const arrived: string[] = []
    let minute = 1

    const pages = await walkPages(app, '/api/v1/events?event_type=walk.asc&order=asc&limit=4', {
      onPage: async (pageNumber) => {
        if (pageNumber > 5) return
        // Later events land at the end; one late-arriving old event lands behind the cursor.
        const later = [0, 1].map((i) =>
          v1Message({ event_type: 'walk.asc', timestamp: at(`14:${pad(minute)}:${pad(i)}`) }),
        )
        const late = v1Message({ event_type: 'walk.asc', timestamp: at('13:59:59') })
        minute++
        await storeMessages(database.db, [...later, late])
        arrived.push(...later.map((m) => m.eventId))
      },
    })
    const seen = pages.flat()

    expect(new Set(seen).size).toBe(seen.length)
    expect(seen).toEqual([...initial.map((m) => m.eventId), ...arrived])
  })

  it('sees every stored event exactly once, newest first, while newer ones arrive', async () => {
    const initial = Array.from({ length: 25 }, (_, i) =>
      v1Message({ event_type: 'walk.desc', timestamp: at(`15:00:${pad(i)}`) }),
    )
    await storeMessages(database.db, initial)

    const pages = await walkPages(app, '/api/v1/events?event_type=walk.desc&limit=3', {
      onPage: async () => {
        await storeMessages(database.db, [
          v1Message({ event_type: 'walk.desc', timestamp: at('16:00:00') }),
        ])
      },
    })
    const seen = pages.flat()

    expect(new Set(seen).size).toBe(seen.length)
    expect(seen).toEqual(initial.map((m) => m.eventId).reverse())
  })

  it('never repeats or skips while another connection inserts at the same time', async () => {
    const initial = Array.from({ length: 40 }, (_, i) =>
      v1Message({ event_type: 'walk.race', timestamp: at(`17:00:${pad(i)}`) }),
    )
    await storeMessages(database.db, initial)
    const inserted: string[] = []
    let walking = true

    // Some arrive ahead of the cursor, some behind it, some tie with stored times.
    const writer = (async () => {
      for (let i = 0; walking && i < 200; i++) {
        const second = pad(i % 60)
        const minute = ['16:59', '17:00', '17:30'][i % 3]!
        const timestamp = at(`${minute}:${second}`)
        const message = v1Message({ event_type: 'walk.race', timestamp })
        await storeMessages(database.db, [message])
        inserted.push(message.eventId)
      }
    })()
    const pages = await walkPages(app, '/api/v1/events?event_type=walk.race&order=asc&limit=3')
    walking = false
    await writer

    const seen = pages.flat()
    const res = await app.request('/api/v1/events?event_type=walk.race&order=asc&limit=1000')
    const all = (await res.json()) as Listed[]
    const known = new Set([...initial.map((m) => m.eventId), ...inserted])

    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.every((id) => known.has(id))).toBe(true)
    for (const message of initial) expect(seen).toContain(message.eventId)
    // What was seen is in the final order of everything stored: nothing out of place.
    const order = new Map(all.map((event, index) => [event.event_id, index]))
    const ranks = seen.filter((id) => order.has(id)).map((id) => order.get(id)!)
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
  })
})

/** Follows `Link: rel="next"` from `url` to the last page; returns the ids of each page. */
async function walkPages(
  app: ReturnType<typeof createTestApp>['app'],
  url: string,
  options: { onPage?: (pageNumber: number) => Promise<void> } = {},
): Promise<string[][]> {
  const pages: string[][] = []
  let next: string | null = url

  while (next) {
    const res = await app.request(next)
    expect(res.status).toBe(200)
    pages.push(((await res.json()) as Listed[]).map((event) => event.event_id))
    await options.onPage?.(pages.length)

    const link = res.headers.get('link')
    next = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1]! : null
    if (pages.length > 100) throw new Error('pagination does not end')
  }
  return pages
}

function pad(value: number): string {
  return String(value).padStart(2, '0')
}

function workflowEvent(type: string, workflowId: string, timestamp: string) {
  return v1Message({
    event_type: type,
    timestamp,
    source_app: 'bmad',
    payload: { workflow_id: workflowId },
  })
}

function agentEvent(type: string, sessionId: string, timestamp: string) {
  return v1Message({ event_type: type, timestamp, session_id: sessionId, source_app: 'agents' })
}

/** The service style of envelope v1: `causation_id` and `correlation_id`, a string source. */
function serviceEvent(type: string, routingKey: string, timestamp: string, causationId?: string) {
  const eventId = randomUUID()
  const body = JSON.stringify({
    event_id: eventId,
    event_type: type,
    timestamp,
    version: '1.0.0',
    source: 'command-adapter',
    ...(causationId ? { causation_id: causationId } : {}),
    correlation_id: 'chain-1',
    payload: { action: 'run' },
  })
  return { eventId, body, routingKey }
}
