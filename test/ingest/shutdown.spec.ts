import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestTopology, type TestTopology } from '../support/broker.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { countEvents } from '../support/event-counts.js'
import { startIngest } from '../support/processes.js'
import { publishGenerated } from '../support/publish.js'
import { waitFor } from '../support/wait-for.js'

describe('ingest shutdown', () => {
  let database: TestDatabase
  let topology: TestTopology

  beforeAll(async () => {
    database = await createTestDatabase('shutdown')
    topology = await createTestTopology('shutdown')
  })

  afterAll(async () => {
    await topology?.cleanup()
    await database?.drop()
  })

  it('commits and acknowledges the batch in hand on SIGTERM, then exits 0', async () => {
    // A batch that would wait a minute to close: only the shutdown can flush it.
    const ingest = await startIngest({
      env: {
        DATABASE_URL: database.url,
        ...topology.env,
        INGEST_BATCH_SIZE: '5000',
        INGEST_BATCH_MAX_WAIT_MS: '60000',
      },
    })
    await publishGenerated(topology.channel, topology.exchange, 300, { seed: 21 })
    await waitFor(async () => {
      const text = await (await fetch(`${ingest.url}/metrics`)).text()
      return /historian_ingest_messages_received_total 300\b/.test(text)
    }, { what: 'all 300 in hand' })
    expect((await countEvents(database.db)).rows).toBe(0)

    expect(await ingest.stop('SIGTERM')).toBe(0)

    expect((await countEvents(database.db)).rows).toBe(300)
    const queue = await topology.channel.checkQueue(topology.queue)
    expect(queue.messageCount).toBe(0)
    expect(ingest.output()).toMatch(/"count":300,"inserted":300/)
  })
})
