import { randomUUID } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestTopology, type TestTopology } from '../support/broker.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { countEvents } from '../support/event-counts.js'
import { startIngest, type RunningProcess } from '../support/processes.js'
import { publishRaw } from '../support/publish.js'
import { waitFor } from '../support/wait-for.js'

describe('ingest topology', () => {
  let database: TestDatabase
  let topology: TestTopology
  let ingest: RunningProcess

  beforeAll(async () => {
    database = await createTestDatabase('topology')
    topology = await createTestTopology('topology')
    // An operator's quorum queue, declared before the ingest ever ran.
    await topology.channel.assertQueue(topology.queue, {
      durable: true,
      arguments: { 'x-queue-type': 'quorum' },
    })
    ingest = await startIngest({ env: { DATABASE_URL: database.url, ...topology.env } })
  })

  afterAll(async () => {
    await ingest?.stop('SIGKILL')
    await topology?.cleanup()
    await database?.drop()
  })

  it('consumes from a quorum queue that already exists instead of redeclaring it', async () => {
    const id = randomUUID()
    const body = `{"event_id":"${id}","event_type":"t.quorum","payload":{}}`
    await publishRaw(topology.channel, topology.exchange, 't.quorum', body)

    await waitFor(async () => (await countEvents(database.db)).rows === 1, { what: 'the event' })
    const health = (await (await fetch(`${ingest.url}/health`)).json()) as { consuming: boolean }
    expect(health.consuming).toBe(true)
  })

  it('declares a durable dead-letter queue not bound to the Bloodbank exchange', async () => {
    const dlq = await topology.channel.checkQueue(topology.dlq)
    expect(dlq.queue).toBe(topology.dlq)

    // A message for any routing key reaches the main queue through `#`, never the DLQ.
    await publishRaw(topology.channel, topology.exchange, 'anything.at.all', '{"event_type":"x"}')
    await waitFor(async () => (await countEvents(database.db)).rows === 2, { what: 'second' })
    expect((await topology.channel.checkQueue(topology.dlq)).messageCount).toBe(0)
  })
})
