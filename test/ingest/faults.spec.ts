import { afterEach, beforeEach, describe, expect, it, onTestFailed } from 'vitest'

import { safePosition } from '@historian/queries'

import { createTestTopology, type TestTopology } from '../support/broker.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { countEvents, storedIds } from '../support/event-counts.js'
import { startIngest, type RunningProcess } from '../support/processes.js'
import { publishGenerated } from '../support/publish.js'
import { TcpProxy } from '../support/tcp-proxy.js'
import { waitFor } from '../support/wait-for.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The URL with its host and port replaced by the proxy's. */
function through(url: string, proxy: TcpProxy): string {
  const parsed = new URL(url)
  parsed.hostname = '127.0.0.1'
  parsed.port = String(proxy.port)
  return parsed.toString()
}

function target(url: string): { host: string; port: number } {
  const parsed = new URL(url)
  const port = Number(parsed.port || (parsed.protocol.startsWith('amqp') ? 5672 : 5432))
  return { host: parsed.hostname, port }
}

describe('ingest under real faults', () => {
  let database: TestDatabase
  let topology: TestTopology
  let pgProxy: TcpProxy
  let amqpProxy: TcpProxy
  const processes: RunningProcess[] = []

  beforeEach(async () => {
    database = await createTestDatabase('faults')
    topology = await createTestTopology('faults')
    pgProxy = new TcpProxy(target(database.url))
    amqpProxy = new TcpProxy(target(topology.env.RABBITMQ_URL!))
    await pgProxy.start()
    await amqpProxy.start()
  })

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop('SIGKILL')))
    await pgProxy.close()
    await amqpProxy.close()
    await topology.cleanup()
    await database.drop()
  })

  async function start(env: Record<string, string> = {}): Promise<RunningProcess> {
    const ingest = await startIngest({
      env: {
        ...topology.env,
        DATABASE_URL: through(database.url, pgProxy),
        RABBITMQ_URL: through(topology.env.RABBITMQ_URL!, amqpProxy),
        ...env,
      },
    })
    processes.push(ingest)
    onTestFailed(() => console.log(`ingest output:\n${ingest.output().slice(-5000)}`))
    return ingest
  }

  async function expectEachStoredOnce(published: Array<{ eventId: string }>): Promise<void> {
    await waitFor(async () => (await countEvents(database.db)).ids === published.length, {
      timeoutMs: 120_000,
      what: `${published.length} events stored`,
    })
    const counts = await countEvents(database.db)
    expect(counts.rows).toBe(published.length)
    expect(await storedIds(database.db)).toEqual(new Set(published.map((m) => m.eventId)))
    expect((await topology.channel.checkQueue(topology.dlq)).messageCount).toBe(0)
  }

  it('loses nothing when PostgreSQL goes away while 20,000 events arrive', async () => {
    const ingest = await start({ INGEST_PREFETCH: '1000' })
    const publishing = publishGenerated(topology.channel, topology.exchange, 20_000, {
      seed: 11,
      perTick: 100,
    })

    await waitFor(async () => (await countEvents(database.db)).rows > 2000, { what: 'a start' })
    pgProxy.cut()
    await sleep(1500)
    const during = (await (await fetch(`${ingest.url}/health`)).json()) as {
      writing: string
      buffered: number
    }
    await sleep(1500)
    pgProxy.restore()

    // Consumption paused: no more than the prefetch was held while the database was away.
    expect(during.writing).toBe('retrying')
    expect(during.buffered).toBeLessThanOrEqual(1000)
    await expectEachStoredOnce(await publishing)
  })

  it('never acknowledges an old channel tag when the broker drops after a commit', async () => {
    const ingest = await start()
    // Still publishing when the faults begin, so that a batch is being written when they do.
    const publishing = publishGenerated(topology.channel, topology.exchange, 5000, {
      seed: 12,
      perTick: 50,
    })
    await waitFor(async () => (await countEvents(database.db)).rows > 0, { what: 'a start' })

    // Hold the batch transaction in the database, drop the broker, then let the commit finish:
    // that batch is committed on a channel that no longer exists.
    pgProxy.stall()
    await sleep(300)
    amqpProxy.cut()
    await sleep(300)
    pgProxy.restore()
    await sleep(500)
    amqpProxy.restore()

    await expectEachStoredOnce(await publishing)
    const log = ingest.output()
    expect(log).toMatch(/"acked":0[,}]/)
    expect(log).not.toMatch(/unknown delivery tag|PRECONDITION_FAILED/i)
  })

  it('keeps positions gap-free for a reader while three ingest processes write', async () => {
    await Promise.all([start(), start(), start()].map((p) => p))
    const seen: string[] = []
    let reading = true

    // A reader that follows positions the way the live stream does: it never looks back, and
    // reads only up to the safe position, asked for in a statement of its own.
    const reader = (async () => {
      let last = '0'
      while (reading) {
        const upTo = String(await safePosition(database.db))
        const rows = await database.db
          .selectFrom('events')
          .select(['position', 'event_id'])
          .where('position', '>', last)
          .where('position', '<=', upTo)
          .orderBy('position')
          .limit(1000)
          .execute()
        for (const row of rows) seen.push(row.event_id)
        last = rows.at(-1)?.position ?? last
        if (rows.length === 0) await sleep(2)
      }
    })()

    const published = await publishGenerated(topology.channel, topology.exchange, 15_000, {
      seed: 13,
      perTick: 150,
    })
    await expectEachStoredOnce(published)
    await sleep(200)
    reading = false
    await reader

    expect(seen).toHaveLength(published.length)
    expect(new Set(seen)).toEqual(new Set(published.map((m) => m.eventId)))
    const busy = processes.filter((p) => /"msg":"batch committed"/.test(p.output()))
    expect(busy.length).toBe(3)
  })
})
