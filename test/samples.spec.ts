import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pino } from 'pino'
import { Registry } from 'prom-client'
import type { GetMessage } from 'amqplib'

import { createApp } from '../apps/api/src/app.js'
import { loadConfig } from '@historian/config'

import { publishSamples, readSamples, type Sample } from '../scripts/lib/manifest.js'
import { createTestTopology, type TestTopology } from './support/broker.js'
import { createTestDatabase, type TestDatabase } from './support/database.js'
import { drainQueue } from './support/dead-letters.js'
import { startIngest, type RunningProcess } from './support/processes.js'
import { waitFor } from './support/wait-for.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/bloodbank/', import.meta.url))
const SHARED = fileURLToPath(new URL('../../shared/samples/bloodbank/', import.meta.url))
const folders = [FIXTURES, ...(existsSync(SHARED) ? [SHARED] : [])]

describe.each(folders)('publishing the samples in %s through a real broker and ingest', (dir) => {
  let database: TestDatabase
  let topology: TestTopology
  let ingest: RunningProcess
  let samples: Sample[]
  let deadLetters: GetMessage[]
  let app: ReturnType<typeof createApp>

  const stored = () => samples.filter((s) => s.expect === 'store')
  const idOf = (sample: Sample) => sample.event_id ?? ''

  beforeAll(async () => {
    database = await createTestDatabase('samples')
    topology = await createTestTopology('samples')
    ingest = await startIngest({ env: { DATABASE_URL: database.url, ...topology.env } })

    samples = (await readSamples(dir)).filter((s) => s.transport === 'amqp')
    await publishSamples(topology.channel, topology.exchange, samples)

    const refusals = samples.filter((s) => s.expect === 'refuse').length
    await waitFor(
      async () => {
        const { count } = await database.db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll<string>().as('count'))
          .executeTakeFirstOrThrow()
        const dlq = await topology.channel.checkQueue(topology.dlq)
        return Number(count) === stored().length && dlq.messageCount === refusals
      },
      { what: 'every sample to be stored or dead-lettered' },
    )

    // Stopping returns anything unacknowledged to the queue, where the next check would see it.
    expect(await ingest.stop()).toBe(0)
    deadLetters = await drainQueue(topology.channel, topology.dlq)

    const config = loadConfig({ DATABASE_URL: database.url })
    app = createApp({
      config,
      pool: database.pool,
      db: database.db,
      logger: pino({ level: 'silent' }),
      registry: new Registry(),
    })
  })

  afterAll(async () => {
    await ingest?.stop('SIGKILL')
    await topology?.cleanup()
    await database?.drop()
  })

  it('acknowledges every message, leaving the queue empty', async () => {
    const queue = await topology.channel.checkQueue(topology.queue)
    expect(queue.messageCount).toBe(0)
  })

  it('stores each `store` sample exactly once, under its manifest id and flags', async () => {
    const rows = await database.db
      .selectFrom('events')
      .select(['event_id', 'routing_key', 'flags', 'body'])
      .execute()

    for (const sample of stored()) {
      const matching = rows.filter((row) => row.body === sample.body.toString('utf8'))
      expect(matching, sample.file).toHaveLength(1)
      const [row] = matching
      if (sample.event_id) expect(row!.event_id, sample.file).toBe(sample.event_id)
      expect(row!.routing_key, sample.file).toBe(sample.routing_key)
      expect([...row!.flags].sort(), sample.file).toEqual([...(sample.flags ?? [])].sort())
    }
  })

  it('changes nothing for a `duplicate` sample', async () => {
    for (const sample of samples.filter((s) => s.expect === 'duplicate')) {
      const rows = await database.db
        .selectFrom('events')
        .select('event_id')
        .where('event_id', '=', idOf(sample))
        .execute()
      expect(rows, sample.file).toHaveLength(1)
    }
  })

  it('dead-letters each `refuse` sample with its reason and original routing key', () => {
    const refused = samples.filter((s) => s.expect === 'refuse')
    expect(deadLetters).toHaveLength(refused.length)

    for (const sample of refused) {
      const copy = deadLetters.find((m) => m.content.equals(sample.body))
      expect(copy, sample.file).toBeDefined()
      expect(copy!.fields.routingKey).toBe(sample.routing_key)
      expect(['invalid_json', 'not_an_object']).toContain(
        copy!.properties.headers?.['x-historian-reason'],
      )
    }
  })

  it('went on consuming after each refusal', () => {
    const lastRefusal = samples.findLastIndex((s) => s.expect === 'refuse')
    expect(samples.slice(lastRefusal + 1).some((s) => s.expect === 'store')).toBe(true)
  })

  it('answers /raw with each stored body byte for byte', async () => {
    for (const sample of stored().filter((s) => s.event_id)) {
      const res = await app.request(`/api/v1/events/${sample.event_id}/raw`)
      expect(res.status, sample.file).toBe(200)
      expect(Buffer.from(await res.arrayBuffer()).equals(sample.body), sample.file).toBe(true)
    }
  })

  it('lists the stored samples in the v1 shape with routing key and position', async () => {
    const res = await app.request('/api/v1/events?limit=100')
    expect(res.status).toBe(200)
    const events = (await res.json()) as Array<Record<string, unknown>>

    expect(events).toHaveLength(stored().length)
    for (const event of events) {
      expect(event).toMatchObject({
        event_id: expect.any(String),
        event_type: expect.any(String),
        routing_key: expect.any(String),
        position: expect.any(Number),
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
        source: expect.any(Object),
        correlation_ids: expect.any(Array),
        format: expect.any(String),
        flags: expect.any(Array),
      })
    }
  })

  it('keeps the routing key of a command whose body says command.envelope', async () => {
    const event = await getEvent('698a1fbb-8557-485c-ba2c-1653f3c1dd9c')
    expect(event.event_type).toBe('command.envelope')
    expect(event.routing_key).toBe('command.builder.run_git_maintenance')
  })

  it('links the command ack to its command and shares the chain id', async () => {
    const ack = await getEvent('83fc0362-90f6-45b8-b79b-17f6427c1971')
    expect(ack.correlation_ids).toEqual(['698a1fbb-8557-485c-ba2c-1653f3c1dd9c'])
    expect(ack.correlation_id).toBe('db5c5723-df22-4ad6-8b02-bce7b28af1a7')
    expect(ack.source).toEqual({ app: 'command-adapter' })
  })

  it('reads a time without a zone as UTC and flags it', async () => {
    const event = await getEvent('e54324d6-c287-4357-8cb8-bea9a6e34404')
    expect(event.timestamp).toBe('2026-03-06T18:04:11.902331Z')
    expect(event.flags).toEqual(['time_naive'])
    expect(event.source).toEqual({ app: 'whisperlivekit' })
  })

  it('turns the legacy envelope into the v1 shape', async () => {
    const event = await getEvent('012a3874-a15a-4d61-af93-120e5e85822e')
    expect(event.event_type).toBe('llm.prompt')
    expect(event.timestamp).toBe('2025-10-15T18:20:31.512345Z')
    expect(event.version).toBe('1.0.0')
    expect(event.payload).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5' })
  })

  it('stores a body without an id under a derived id', async () => {
    const sample = samples.find((s) => s.file.startsWith('23-'))!
    const res = await app.request('/api/v1/events?event_type=tool.mutation.edit')
    const [event] = (await res.json()) as Array<Record<string, unknown>>
    expect(event!.flags).toEqual(['id_derived'])
    expect((await getEvent(String(event!.event_id))).payload).toMatchObject({
      tool_name: 'Edit',
    })
    expect(sample.expect).toBe('store')
  })

  it('finds every agent.scout event with ?agent=scout', async () => {
    const res = await app.request('/api/v1/events?agent=scout&order=asc')
    const ids = ((await res.json()) as Array<{ event_id: string }>).map((e) => e.event_id)
    expect(ids).toEqual([
      'cd8edf67-a8c8-4dc5-a5e5-fd7a7c792c30',
      'bcd2101d-3632-46d1-be2b-f8ce3fd31c2d',
      '3dfa37f9-3b82-489d-a4c6-19231733c713',
      '39e2af89-2089-4b59-9ddb-23aa3752ad51',
    ])
  })

  async function getEvent(id: string): Promise<Record<string, unknown>> {
    const res = await app.request(`/api/v1/events/${id}`)
    expect(res.status, id).toBe(200)
    return (await res.json()) as Record<string, unknown>
  }
})
