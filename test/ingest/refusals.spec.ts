import { randomBytes, randomUUID } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { toEventUuid } from '@historian/envelope'

import { createTestTopology, type TestTopology } from '../support/broker.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { drainQueue } from '../support/dead-letters.js'
import { countEvents } from '../support/event-counts.js'
import { startIngest, type RunningProcess } from '../support/processes.js'
import { publishRaw } from '../support/publish.js'
import { waitFor } from '../support/wait-for.js'

/** An envelope v1 body with the given id and type. */
function envelope(eventId: string, eventType = 'test.event', extra = ''): string {
  return (
    `{"event_id":"${eventId}","event_type":"${eventType}",` +
    `"timestamp":"2026-03-01T10:00:00.000001Z","source":{"app":"test"},${extra}"payload":{}}`
  )
}

describe('ingest refusals and repairs, through a real broker and database', () => {
  let database: TestDatabase
  let topology: TestTopology
  let ingest: RunningProcess

  beforeAll(async () => {
    database = await createTestDatabase('refusals')
    topology = await createTestTopology('refusals')
    ingest = await startIngest({
      env: {
        DATABASE_URL: database.url,
        ...topology.env,
        INGEST_MAX_MESSAGE_BYTES: '65536',
        INGEST_MAX_JSON_DEPTH: '64',
        INGEST_BATCH_SIZE: '200',
        INGEST_BATCH_MAX_WAIT_MS: '200',
      },
    })
  })

  afterAll(async () => {
    await ingest?.stop('SIGKILL')
    await topology?.cleanup()
    await database?.drop()
  })

  it('dead-letters what cannot be an event, with its reason, and keeps consuming', async () => {
    const pad = 'x'.repeat(70_000)
    const cases = [
      { reason: 'invalid_json', body: Buffer.from('{"event_id": "a", oops}') },
      { reason: 'invalid_json', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
      { reason: 'not_an_object', body: Buffer.from('"just a string"') },
      { reason: 'not_an_object', body: Buffer.from('null') },
      { reason: 'too_large', body: Buffer.from(envelope(randomUUID(), 't', `"pad":"${pad}",`)) },
      { reason: 'too_deep', body: Buffer.from(`{"a":${'['.repeat(100)}${']'.repeat(100)}}`) },
    ]
    const after = randomUUID()

    for (const { body } of cases) {
      await publishRaw(topology.channel, topology.exchange, 'bad.one', body)
    }
    await publishRaw(topology.channel, topology.exchange, 'good.one', envelope(after))

    await waitFor(
      async () => (await topology.channel.checkQueue(topology.dlq)).messageCount === cases.length,
      { what: 'six dead letters' },
    )
    const copies = await drainQueue(topology.channel, topology.dlq)

    const reasons = copies.map((m) => String(m.properties.headers?.['x-historian-reason']))
    expect(reasons.sort()).toEqual(cases.map((c) => c.reason).sort())
    for (const copy of copies) {
      expect(copy.fields.routingKey).toBe('bad.one')
      expect(cases.some((c) => c.body.equals(copy.content))).toBe(true)
    }
    await waitFor(() => stored(after), { what: 'the good message after the bad ones' })
  })

  it('stores the rest of a batch and dead-letters the one row the database rejects', async () => {
    // An event type longer than a btree entry may be: Postgres refuses that row, not the batch.
    const poison = randomUUID()
    const hugeType = randomBytes(4000).toString('hex')
    const ids = Array.from({ length: 99 }, () => randomUUID())
    const before = (await countEvents(database.db)).rows

    for (const [i, id] of ids.entries()) {
      topology.channel.publish(topology.exchange, 'batch.member', Buffer.from(envelope(id)), {})
      if (i === 50) {
        const body = Buffer.from(envelope(poison, hugeType))
        topology.channel.publish(topology.exchange, 'batch.poison', body, {})
      }
    }
    await topology.channel.waitForConfirms()

    await waitFor(
      async () => (await topology.channel.checkQueue(topology.dlq)).messageCount === 1,
      { what: 'the poison row in the DLQ' },
    )
    const [copy] = await drainQueue(topology.channel, topology.dlq)

    expect(copy!.properties.headers?.['x-historian-reason']).toBe('rejected_by_database')
    expect(copy!.fields.routingKey).toBe('batch.poison')
    await waitFor(async () => (await countEvents(database.db)).rows === before + ids.length, {
      what: 'the 99 good rows',
    })
    expect(await stored(poison)).toBe(false)
  })

  it('absorbs a redelivered copy of a stored event as a duplicate', async () => {
    const id = randomUUID()
    await publishRaw(topology.channel, topology.exchange, 'dup.test', envelope(id))
    await waitFor(() => stored(id), { what: 'first copy' })
    const before = await countEvents(database.db)

    await publishRaw(topology.channel, topology.exchange, 'dup.test', envelope(id))
    await waitFor(async () => (await metric('historian_ingest_duplicates_total')) >= 1, {
      what: 'the duplicate to be counted',
    })
    expect(await countEvents(database.db)).toEqual(before)
  })

  it('stores an event whose id is not a UUID under the mapped id', async () => {
    await publishRaw(topology.channel, topology.exchange, 'mapped.id', envelope('wf-42'))
    const { id } = toEventUuid('wf-42')
    await waitFor(() => stored(id), { what: 'the mapped id' })

    const row = await database.db
      .selectFrom('events')
      .select(['flags'])
      .where('event_id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row.flags).toEqual(['id_mapped'])
  })

  it('stores a body with no id twice only if its bytes differ', async () => {
    const body = '{"event_type":"tool.mutation.edit","tool_name":"Edit","n":1}'
    await publishRaw(topology.channel, topology.exchange, 'tool.mutation.edit', body)
    await publishRaw(topology.channel, topology.exchange, 'tool.mutation.edit', body)
    const other = body.replace('1', '2')
    await publishRaw(topology.channel, topology.exchange, 'tool.mutation.edit', other)

    await waitFor(async () => {
      const rows = await database.db
        .selectFrom('events')
        .select('event_id')
        .where('routing_key', '=', 'tool.mutation.edit')
        .execute()
      return rows.length === 2
    }, { what: 'two derived-id events' })
  })

  async function stored(id: string): Promise<boolean> {
    const row = await database.db
      .selectFrom('events')
      .select('position')
      .where('event_id', '=', id)
      .executeTakeFirst()
    return row !== undefined
  }

  async function metric(name: string): Promise<number> {
    const text = await (await fetch(`${ingest.url}/metrics`)).text()
    const line = text.split('\n').find((l) => l.startsWith(`${name} `))
    return Number(line?.split(' ')[1] ?? 0)
  }
})
