import { randomUUID } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestTopology, type TestTopology } from '../support/broker.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { startApi, startIngest, type RunningProcess } from '../support/processes.js'
import { StreamClient } from '../support/stream-client.js'
import { waitFor } from '../support/wait-for.js'

const TOKEN = 'stream-e2e-token'
const MAX_CONNECTIONS = 12
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface EventSpec {
  eventType?: string
  routingKey?: string
  workflowId?: string
  sessionId?: string
  correlationId?: string
  /** Extra payload members as JSON text, spliced in. */
  payloadText?: string
}

/** A service-style v1 body, so that every stream filter column can be set from the body. */
function body(spec: EventSpec): string {
  const payload = [
    spec.workflowId ? `"workflow_id":${JSON.stringify(spec.workflowId)}` : '',
    spec.payloadText ?? '',
  ].filter(Boolean)
  return (
    `{"event_id":"${randomUUID()}","event_type":${JSON.stringify(spec.eventType ?? 'e2e.tick')}` +
    `,"timestamp":"${new Date().toISOString()}","version":"1.0.0","source":{"app":"e2e"}` +
    `,"correlation_id":${JSON.stringify(spec.correlationId ?? null)},"causation_id":null` +
    `,"agent_context":${spec.sessionId ? `{"session_id":"${spec.sessionId}"}` : 'null'}` +
    `,"payload":{${payload.join(',')}}}`
  )
}

describe('the live stream across real ingest and API processes', () => {
  let database: TestDatabase
  let topology: TestTopology
  const ingests: RunningProcess[] = []
  const apis: RunningProcess[] = []

  beforeAll(async () => {
    database = await createTestDatabase('stream_e2e')
    topology = await createTestTopology('stream')
    const env = { ...topology.env, DATABASE_URL: database.url }

    for (let i = 0; i < 2; i++) ingests.push(await startIngest({ env }))
    for (let i = 0; i < 2; i++) {
      const api = await startApi({
        env: {
          DATABASE_URL: database.url,
          API_TOKENS: TOKEN,
          WS_HEARTBEAT_INTERVAL_SECONDS: '1',
          WS_MAX_BUFFERED_BYTES: String(256 * 1024),
          WS_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
        },
      })
      apis.push(api)
    }
  })

  afterAll(async () => {
    await Promise.all([...apis, ...ingests].map((process) => process.stop('SIGKILL')))
    await topology?.cleanup()
    await database?.drop()
  })

  function streamUrl(api: RunningProcess, query = ''): string {
    const separator = query ? '&' : ''
    return `ws://127.0.0.1:${api.port}/api/v1/events/stream?token=${TOKEN}${separator}${query}`
  }

  async function publish(specs: readonly EventSpec[], perTick = 0): Promise<void> {
    for (const [i, spec] of specs.entries()) {
      const routingKey = spec.routingKey ?? spec.eventType ?? 'e2e.tick'
      topology.channel.publish(topology.exchange, routingKey, Buffer.from(body(spec)), {
        contentType: 'application/json',
        deliveryMode: 2,
      })
      if (perTick && (i + 1) % perTick === 0) {
        await topology.channel.waitForConfirms()
        await sleep(10)
      }
    }
    await topology.channel.waitForConfirms()
  }

  async function storedPositions(where = 'true'): Promise<number[]> {
    const result = await database.pool.query<{ position: string }>(
      `SELECT position FROM events WHERE ${where} ORDER BY position`,
    )
    return result.rows.map((row) => Number(row.position))
  }

  async function allStored(count: number): Promise<number[]> {
    const positions = await waitFor(
      async () => {
        const positions = await storedPositions()
        return positions.length >= count ? positions : undefined
      },
      { timeoutMs: 60_000, what: `${count} events stored` },
    )
    return positions as number[]
  }

  async function slowCloses(api: RunningProcess): Promise<number> {
    const text = await (await fetch(`${api.url}/metrics`)).text()
    return Number(/^historian_ws_slow_client_closes_total (\d+)/m.exec(text)?.[1] ?? 0)
  }

  it('resumes on the other API process with from=, every event once and in order', async () => {
    const [first, second] = apis as [RunningProcess, RunningProcess]
    const before = (await storedPositions()).length
    const watcher = await StreamClient.connect(streamUrl(second, 'from=0'))
    const leaving = await StreamClient.connect(streamUrl(first, 'from=0'))

    const publishing = publish(
      Array.from({ length: 3000 }, () => ({})),
      30,
    )
    await leaving.waitFor((client) => client.events.length >= before + 1000, { timeoutMs: 30_000 })
    leaving.terminate()
    await leaving.closed
    const resumeFrom = leaving.positions.at(-1) as number
    const resumed = await StreamClient.connect(streamUrl(second, `from=${resumeFrom}`))
    await publishing

    const stored = await allStored(before + 3000)
    await resumed.waitForPosition(stored.at(-1) as number, 30_000)
    await watcher.waitForPosition(stored.at(-1) as number, 30_000)

    expect([...leaving.positions, ...resumed.positions]).toEqual(stored)
    expect(watcher.positions).toEqual(stored)
    resumed.close()
    watcher.close()
  })

  it('loses nothing when the LISTEN connections are terminated while events arrive', async () => {
    // Positions are not consecutive (each batch draws one for its reservation): count rows.
    const already = await storedPositions()
    const [after, count] = [already.at(-1) ?? 0, already.length]
    const clients = await Promise.all(apis.map((api) => StreamClient.connect(streamUrl(api))))

    const publishing = publish(
      Array.from({ length: 1500 }, () => ({})),
      15,
    )
    let terminated = 0
    for (let round = 0; round < 3; round++) {
      await sleep(250)
      const result = await database.pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'historian-api-listener'`,
      )
      terminated += result.rowCount ?? 0
    }
    await publishing

    const stored = (await allStored(count + 1500)).filter((position) => position > after)
    expect(terminated).toBeGreaterThanOrEqual(4)
    for (const client of clients) {
      await client.waitForPosition(stored.at(-1) as number, 30_000)
      expect(client.positions).toEqual(stored)
      client.close()
    }
  })

  it('closes a client that stops reading with 4008 and where to resume', async () => {
    const [api] = apis as [RunningProcess]
    // Positions are not consecutive (each batch draws one for its reservation): count rows.
    const already = await storedPositions()
    const [after, count] = [already.at(-1) ?? 0, already.length]
    const slow = await StreamClient.connect(streamUrl(api))
    const normal = await StreamClient.connect(streamUrl(api))
    slow.pause()

    const big = { payloadText: `"blob":"${'z'.repeat(50 * 1024)}"` }
    let published = 0
    while ((await slowCloses(api)) === 0 && published < 1000) {
      await publish(Array.from({ length: 20 }, () => big))
      published += 20
    }
    slow.resume()
    const closed = await slow.closed

    const stored = (await allStored(count + published)).filter((position) => position > after)
    await normal.waitForPosition(stored.at(-1) as number, 30_000)
    expect(closed.code).toBe(4008)
    const resumeFrom = Number(/^resume from=(\d+)$/.exec(closed.reason)?.[1])
    expect(slow.positions.length).toBeGreaterThan(0)
    expect(slow.positions).toEqual(stored.filter((position) => position <= resumeFrom))
    expect(normal.positions).toEqual(stored)
    normal.close()
  })

  it('streams a 100 KB event', async () => {
    const [, api] = apis as [RunningProcess, RunningProcess]
    const client = await StreamClient.connect(streamUrl(api))
    const blob = 'q'.repeat(100 * 1024)

    await publish([{ eventType: 'e2e.large', payloadText: `"blob":"${blob}"` }])
    await client.waitFor((c) => c.events.some((frame) => frame.routing_key === 'e2e.large'))

    const frame = client.events.find((event) => event.routing_key === 'e2e.large')
    expect((frame?.envelope?.payload as { blob: string }).blob).toBe(blob)
    client.close()
  })

  it('applies filters, alone and combined', async () => {
    const [first, second] = apis as [RunningProcess, RunningProcess]
    const combined = await StreamClient.connect(
      streamUrl(
        first,
        'event_type=e2e.wf.*&workflow_id=wf-7&session_id=s-7&correlation_id=c-7' +
          '&routing_key=e2e.wf.done',
      ),
    )
    const byType = await StreamClient.connect(streamUrl(second, 'event_type=e2e.wf.,e2e.other'))
    const match = {
      eventType: 'e2e.wf.done',
      workflowId: 'wf-7',
      sessionId: 's-7',
      correlationId: 'c-7',
    }

    await publish([
      match,
      { ...match, workflowId: 'wf-8' },
      { ...match, sessionId: 's-8' },
      { ...match, correlationId: 'c-8' },
      { ...match, routingKey: 'e2e.elsewhere' },
      { eventType: 'e2e.other' },
      { eventType: 'e2e.unrelated' },
      match,
    ])
    const wanted = (await waitFor(async () => {
      const rows = await storedPositions(
        "event_type = 'e2e.wf.done' AND workflow_id = 'wf-7' AND session_id = 's-7' " +
          "AND correlation_id = 'c-7' AND routing_key = 'e2e.wf.done'",
      )
      return rows.length === 2 ? rows : undefined
    })) as number[]
    const typed = await storedPositions("event_type LIKE 'e2e.wf.%' OR event_type = 'e2e.other'")
    await combined.waitForPosition(wanted.at(-1) as number)
    await byType.waitForPosition(wanted.at(-1) as number)

    expect(combined.positions).toEqual(wanted)
    expect(byType.positions).toEqual(typed)
    combined.close()
    byType.close()
  })

  it('answers a bad filter with 400 and a missing token with 401, before the upgrade', async () => {
    const [api] = apis as [RunningProcess]

    const badFilter = await StreamClient.refusal(streamUrl(api, 'from=-3'))
    const noToken = await StreamClient.refusal(`ws://127.0.0.1:${api.port}/api/v1/events/stream`)

    expect(badFilter.status).toBe(400)
    expect(JSON.parse(badFilter.body)).toMatchObject({ status: 400, param: 'from' })
    expect(noToken.status).toBe(401)
    expect(noToken.headers['content-type']).toBe('application/problem+json')
  })

  it('answers ping with pong, sends heartbeats, and closes with 1013 over the limit', async () => {
    const [, api] = apis as [RunningProcess, RunningProcess]
    const clients = await Promise.all(
      Array.from({ length: MAX_CONNECTIONS }, () => StreamClient.connect(streamUrl(api))),
    )
    const [client] = clients as [StreamClient]

    const extra = await StreamClient.connect(streamUrl(api))
    client.send('ping')
    await client.waitFor((c) => c.frames.some((frame) => frame.type === 'pong'))
    await client.waitFor((c) => c.frames.some((frame) => frame.type === 'heartbeat'), {
      timeoutMs: 3_000,
    })

    expect(await extra.closed).toEqual({ code: 1013, reason: 'too many connections' })
    for (const open of clients) open.close()
  })
})
