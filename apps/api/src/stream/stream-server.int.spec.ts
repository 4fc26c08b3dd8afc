import { createServer, type Server } from 'node:http'
import net, { type AddressInfo } from 'node:net'

import { loadConfig } from '@historian/config'
import { pino } from 'pino'
import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js'
import { appendTestEvents } from '../../../../test/support/stream-events.js'
import { TcpProxy } from '../../../../test/support/tcp-proxy.js'
import { StreamClient } from '../../../../test/support/stream-client.js'
import { LISTENER_APPLICATION_NAME } from './doorbell.js'
import { attachStream, type StreamServer } from './stream-server.js'

interface RunningStream {
  url: string
  listenerName: string
  registry: Registry
  close: () => Promise<void>
}

let database: TestDatabase
const running: RunningStream[] = []

beforeAll(async () => {
  database = await createTestDatabase('stream')
})

afterAll(async () => {
  for (const stream of running) await stream.close()
  await database?.drop()
})

/** The stream on an HTTP server of its own, on a free loopback port. */
async function startStream(
  env: Record<string, string> = {},
  pollIntervalMs = 200,
  readTimeoutMs?: number,
): Promise<RunningStream> {
  const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', ...env })
  const registry = new Registry()
  const logger = pino({ level: process.env.STREAM_TEST_LOG ?? 'silent' })
  const server: Server = createServer((_req, res) => res.writeHead(404).end())

  const listenerName = `${LISTENER_APPLICATION_NAME}-${running.length}`
  const stream: StreamServer = attachStream(
    server,
    { config, pool: database.pool, db: database.db, logger, registry },
    { pollIntervalMs, listenerName, readTimeoutMs },
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  await stream.ready

  const { port } = server.address() as AddressInfo
  const handle = {
    url: `ws://127.0.0.1:${port}/api/v1/events/stream`,
    listenerName,
    registry,
    close: async () => {
      await stream.close()
      await new Promise((resolve) => server.close(resolve))
    },
  }
  running.push(handle)
  return handle
}

function append(count: number, spec = {}, options = {}): Promise<number[]> {
  return appendTestEvents(database.pool, Array.from({ length: count }, () => spec), options)
}

const QUERY =
  'event_type=bmad.workflow.*&routing_key=bmad.workflow.phase.completed&workflow_id=wf-1' +
  '&session_id=sess-1&correlation_id=chain-1'

async function slowCloses(stream: RunningStream): Promise<number> {
  const counter = stream.registry.getSingleMetric('historian_ws_slow_client_closes_total')
  const metric = await counter?.get()
  return metric?.values[0]?.value ?? 0
}

/**
 * A proxy to PostgreSQL whose open connections can be made to swallow every byte, as a
 * half-open socket does (no error, no answer), while new connections still go through.
 */
async function startBlackholeProxy(target: URL) {
  const pairs: Array<{ sockets: net.Socket[]; holed: boolean }> = []
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname)
    const pair = { sockets: [client, upstream], holed: false }
    pairs.push(pair)
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      from.on('error', () => undefined)
      from.on('data', (chunk: Buffer) => pair.holed || to.write(chunk))
      from.on('close', () => to.destroy())
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))

  const url = new URL(target)
  url.hostname = '127.0.0.1'
  url.port = String((server.address() as AddressInfo).port)
  return {
    url: url.toString(),
    blackholeOpenConnections: () => pairs.forEach((pair) => (pair.holed = true)),
    close: () => {
      for (const pair of pairs) pair.sockets.forEach((socket) => socket.destroy())
      server.close()
    },
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i)
}

/**
 * The positions stored from `from` to `to`, both included. Not a plain range: each batch draws
 * one position for its reservation that no row takes.
 */
async function storedBetween(from: number, to: number): Promise<number[]> {
  const result = await database.pool.query<{ position: string }>(
    'SELECT position FROM events WHERE position BETWEEN $1 AND $2 ORDER BY position',
    [from, to],
  )
  return result.rows.map((row) => Number(row.position))
}

describe('WS /events/stream', () => {
  let stream: RunningStream

  beforeAll(async () => {
    stream = await startStream()
  })

  it('streams new events live, in position order, in the v1 view', async () => {
    const client = await StreamClient.connect(stream.url)

    const positions = await appendTestEvents(database.pool, [
      { eventType: 'agent.scout.started', payload: '{"big":12345678901234567890123}' },
      { eventType: 'agent.scout.finished' },
    ])
    await client.waitForPosition(positions.at(-1) as number)

    expect(client.positions).toEqual(positions)
    const [first] = client.events
    expect(first).toMatchObject({
      type: 'event',
      position: positions[0],
      routing_key: 'agent.scout.started',
      envelope: { event_type: 'agent.scout.started', position: positions[0], version: '1.0.0' },
    })
    expect(client.texts.find((text) => text.includes('"type":"event"'))).toContain(
      '"payload":{"big":12345678901234567890123}',
    )
    client.close()
  })

  it('replays stored events after from=, says caught_up, then goes live', async () => {
    const stored = await append(5)
    const from = stored[1] as number

    const client = await StreamClient.connect(`${stream.url}?from=${from}`)
    await client.waitFor((c) => c.frames.some((frame) => frame.type === 'caught_up'))
    const live = await append(3)
    await client.waitForPosition(live.at(-1) as number)

    const latest = live.at(-1) as number
    expect(client.positions).toEqual(await storedBetween(from + 1, latest))
    const caughtUp = client.frames.findIndex((frame) => frame.type === 'caught_up')
    expect(client.frames[caughtUp]?.position).toBeGreaterThanOrEqual(stored.at(-1) as number)
    expect(client.frames.slice(0, caughtUp).every((frame) => frame.type !== 'caught_up')).toBe(true)
    client.close()
  })

  it('hands over from replay to live with no gap and no duplicate under writes', async () => {
    const before = await append(300)
    let writing = true
    const writer = (async () => {
      while (writing) await append(7)
    })()

    const clients = await Promise.all(
      range(0, 9).map((i) => {
        const from = (before[0] as number) + i * 30
        const connecting = StreamClient.connect(`${stream.url}?from=${from}`)
        return connecting.then((client) => ({ from, client }))
      }),
    )
    await new Promise((resolve) => setTimeout(resolve, 500))
    writing = false
    await writer
    const [last] = await append(1)

    for (const { from, client } of clients) {
      await client.waitForPosition(last as number)
      expect(client.positions).toEqual(await storedBetween(from + 1, last as number))
      client.close()
    }
  })

  it('applies every filter, combined, in replay and live', async () => {
    const matching = {
      eventType: 'bmad.workflow.phase.completed',
      routingKey: 'bmad.workflow.phase.completed',
      workflowId: 'wf-1',
      sessionId: 'sess-1',
      correlationId: 'chain-1',
    }
    const live = await StreamClient.connect(`${stream.url}?${QUERY}`)
    const onlyType = await StreamClient.connect(`${stream.url}?event_type=bmad.other,nothing.`)
    const stored = await appendTestEvents(database.pool, [
      matching,
      { ...matching, workflowId: 'wf-2' },
      { ...matching, eventType: 'bmad.other', routingKey: 'bmad.workflow.phase.completed' },
      { ...matching, sessionId: 'sess-2' },
      { ...matching, correlationId: 'chain-2' },
      { ...matching, routingKey: 'other.key' },
    ])

    const replaying = await StreamClient.connect(`${stream.url}?${QUERY}&from=${stored[0]! - 1}`)
    const more = await appendTestEvents(database.pool, [
      { ...matching, workflowId: 'wf-3' },
      matching,
      { ...matching, eventType: 'bmad.other' },
    ])

    await replaying.waitForPosition(more[1] as number)
    await live.waitForPosition(more[1] as number)
    await onlyType.waitForPosition(more[2] as number)
    expect(replaying.positions).toEqual([stored[0], more[1]])
    expect(live.positions).toEqual([stored[0], more[1]])
    expect(onlyType.positions).toEqual([stored[2], more[2]])
    for (const client of [replaying, live, onlyType]) client.close()
  })

  it('streams an event far larger than the NOTIFY limit', async () => {
    const client = await StreamClient.connect(stream.url)
    const blob = 'x'.repeat(100 * 1024)

    const [position] = await appendTestEvents(database.pool, [{ payload: `{"blob":"${blob}"}` }])
    await client.waitForPosition(position as number)

    expect((client.events[0]?.envelope?.payload as { blob: string }).blob).toBe(blob)
    client.close()
  })

  it('refuses a bad filter with 400 problem+json before the upgrade', async () => {
    for (const query of ['from=abc', 'event_type=', 'evnt_type=a', 'from=1&from=2']) {
      const refusal = await StreamClient.refusal(`${stream.url}?${query}`)

      expect(refusal.status).toBe(400)
      expect(refusal.headers['content-type']).toBe('application/problem+json')
      expect(JSON.parse(refusal.body)).toMatchObject({ status: 400, code: 'invalid_parameter' })
    }
    const refusal = await StreamClient.refusal(`${stream.url}?from=-1`)
    expect(JSON.parse(refusal.body).param).toBe('from')
  })

  it.each(['event_type', 'routing_key', 'workflow_id', 'session_id', 'correlation_id'])(
    'refuses a NUL in %s with 400 before the upgrade, not 1011 after it',
    async (param) => {
      const refusal = await StreamClient.refusal(`${stream.url}?from=0&${param}=a%00b`)

      expect(refusal.status).toBe(400)
      expect(JSON.parse(refusal.body)).toMatchObject({ code: 'invalid_parameter', param })
    },
  )

  it('refuses a from= above the largest safe integer instead of rounding it', async () => {
    const refusal = await StreamClient.refusal(`${stream.url}?from=9007199254740993`)

    expect(refusal.status).toBe(400)
    expect(JSON.parse(refusal.body)).toMatchObject({
      param: 'from',
      detail: 'from: must be at most 9007199254740991',
    })
  })

  it('starts a from= beyond the stored head at the head, so later events arrive', async () => {
    const [head] = (await append(1)) as [number]

    const client = await StreamClient.connect(`${stream.url}?from=99999999999`)
    await client.waitFor((c) => c.frames.some((frame) => frame.type === 'caught_up'))
    const live = await append(2)
    await client.waitForPosition(live.at(-1) as number)

    expect(client.frames.find((frame) => frame.type === 'caught_up')?.position).toBe(head)
    expect(client.positions).toEqual(live)
    client.close()
  })

  it('reports its clients and frames on /metrics', async () => {
    const client = await StreamClient.connect(stream.url)
    const [position] = await append(1)
    await client.waitForPosition(position as number)

    const text = await stream.registry.metrics()
    expect(text).toMatch(/historian_ws_clients \d+/)
    expect(text).toMatch(/historian_ws_frames_sent_total\{type="event"\} \d+/)
    expect(text).toMatch(/historian_ws_commit_to_frame_seconds_count \d+/)
    client.close()
  })
})

describe('WS /events/stream heartbeats', () => {
  let stream: RunningStream

  beforeAll(async () => {
    stream = await startStream({ WS_HEARTBEAT_INTERVAL_SECONDS: '0.5' })
  })

  it('answers a text ping with a pong and sends heartbeats', async () => {
    const client = await StreamClient.connect(stream.url)

    client.send('ping')
    await client.waitFor((c) => c.frames.some((frame) => frame.type === 'pong'))
    await client.waitFor((c) => c.frames.filter((frame) => frame.type === 'heartbeat').length >= 2)

    const heartbeat = client.frames.find((frame) => frame.type === 'heartbeat')
    expect(heartbeat?.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
    client.send('hello')
    await client.waitFor((c) => c.frames.some((frame) => frame.type === 'error'))
    client.close()
  })

  it('drops a peer that stops answering pings within two heartbeat intervals', async () => {
    const client = await StreamClient.connect(stream.url, { autoPong: false })
    const started = Date.now()

    const closed = await client.closed

    expect(closed.code).toBe(1006)
    expect(Date.now() - started).toBeLessThan(2 * 500 + 300)
  })
})

describe('WS /events/stream under faults', () => {
  it('loses nothing when the LISTEN connection is terminated by the database', async () => {
    const stream = await startStream({}, 60_000)
    const client = await StreamClient.connect(stream.url)
    const first = await append(3)
    await client.waitForPosition(first.at(-1) as number)

    const killed = await database.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = $1`,
      [stream.listenerName],
    )
    expect(killed.rowCount).toBe(1)
    const during = await append(5)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const after = await append(5)
    await client.waitForPosition(after.at(-1) as number)

    const expected = await storedBetween(first[0] as number, after.at(-1) as number)
    expect(client.positions).toEqual(expected)
    expect(during.length).toBe(5)
    client.close()
  })

  it('catches up with nothing lost after its database connections are cut or stalled', async () => {
    const target = new URL(database.url)
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
    await proxy.start()
    const proxied = new URL(database.url)
    proxied.hostname = '127.0.0.1'
    proxied.port = String(proxy.port)
    const stream = await startStream({ DATABASE_URL: proxied.toString() })
    const client = await StreamClient.connect(stream.url)
    const [first] = await append(2)

    for (const fault of ['cut', 'stall'] as const) {
      proxy[fault]()
      await append(5)
      await new Promise((resolve) => setTimeout(resolve, 700))
      proxy.restore()
    }
    const [last] = await append(1)
    await client.waitForPosition(last as number, 20_000)

    expect(client.positions).toEqual(await storedBetween(first as number, last as number))
    client.close()
    await stream.close()
    await proxy.close()
  })

  it('gives up a feed connection that stops answering and carries on with a new one', async () => {
    const proxy = await startBlackholeProxy(new URL(database.url))
    const stream = await startStream({ DATABASE_URL: proxy.url }, 200, 1000)
    const client = await StreamClient.connect(stream.url)
    const [first] = await append(2)
    await client.waitForPosition(first as number)

    proxy.blackholeOpenConnections()
    const [, last] = await append(2)
    await client.waitForPosition(last as number, 10_000)

    expect(client.positions).toEqual(await storedBetween(first as number, last as number))
    client.close()
    await stream.close()
    proxy.close()
  })

  it('finds events whose doorbell never rang with the slow poll', async () => {
    const stream = await startStream({}, 200)
    const client = await StreamClient.connect(stream.url)

    const positions = await append(4, {}, { notify: false })
    await client.waitForPosition(positions.at(-1) as number, 3000)

    expect(client.positions).toEqual(positions)
    client.close()
  })

  it('closes a client that stops reading with 4008 and where to resume', async () => {
    const stream = await startStream({ WS_MAX_BUFFERED_BYTES: String(256 * 1024) })
    const slow = await StreamClient.connect(stream.url)
    const normal = await StreamClient.connect(stream.url)
    slow.pause()

    const payload = `{"blob":"${'y'.repeat(50 * 1024)}"}`
    const positions: number[] = []
    for (let batch = 0; batch < 100 && (await slowCloses(stream)) === 0; batch++) {
      positions.push(...(await append(10, { payload })))
      await normal.waitForPosition(positions.at(-1) as number)
    }
    slow.resume()
    const closed = await slow.closed

    expect(closed.code).toBe(4008)
    const resumeFrom = Number(/^resume from=(\d+)$/.exec(closed.reason)?.[1])
    expect(slow.positions.at(-1)).toBe(resumeFrom)
    expect(slow.positions).toEqual(await storedBetween(positions[0] as number, resumeFrom))
    expect(normal.positions).toEqual(positions)
    normal.close()
  })
})

describe('WS /events/stream replay pace', () => {
  it('replays a page at a time to a client that stops reading, then closes it 4008', async () => {
    const stream = await startStream({
      WS_HEARTBEAT_INTERVAL_SECONDS: '0.5',
      WS_MAX_BUFFERED_BYTES: String(256 * 1024),
    })
    const payload = `{"blob":"${'r'.repeat(20 * 1024)}"}`
    const stored: number[] = []
    for (let i = 0; i < 20; i++) stored.push(...(await append(50, { payload })))

    const client = await StreamClient.connect(`${stream.url}?from=${stored[0]! - 1}`)
    client.pause()
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    client.resume()
    const closed = await client.closed

    expect(closed.code).toBe(4008)
    const resumeFrom = Number(/^resume from=(\d+)$/.exec(closed.reason)?.[1])
    expect(resumeFrom).toBeLessThan(stored.at(-1) as number)
    expect(client.positions).toEqual(stored.filter((position) => position <= resumeFrom))
    await stream.close()
  })
})

describe('WS /events/stream access', () => {
  it('refuses a missing or wrong token with 401; takes the header or token parameter', async () => {
    const stream = await startStream({ API_TOKENS: 'secret-1,secret-2' })

    const missing = await StreamClient.refusal(stream.url)
    const wrong = await StreamClient.refusal(`${stream.url}?token=nope`)
    const header = await StreamClient.connect(stream.url, {
      headers: { authorization: 'Bearer secret-2' },
    })
    const query = await StreamClient.connect(`${stream.url}?token=secret-1`)

    expect(missing.status).toBe(401)
    expect(JSON.parse(missing.body)).toMatchObject({ status: 401, code: 'unauthorized' })
    expect(wrong.status).toBe(401)
    header.close()
    query.close()
  })

  it('closes connections over WS_MAX_CONNECTIONS with 1013', async () => {
    const stream = await startStream({ WS_MAX_CONNECTIONS: '2' })
    const kept = await Promise.all([
      StreamClient.connect(stream.url),
      StreamClient.connect(stream.url),
    ])

    const extra = await StreamClient.connect(stream.url)
    const closed = await extra.closed

    expect(closed).toEqual({ code: 1013, reason: 'too many connections' })
    for (const client of kept) client.close()
  })

  it('closes clients with 1001 when the server shuts down', async () => {
    const stream = await startStream()
    const client = await StreamClient.connect(stream.url)

    await stream.close()

    expect((await client.closed).code).toBe(1001)
  })
})
