import { randomBytes } from 'node:crypto'

import amqp from 'amqplib'
import { inject } from 'vitest'

import { deleteTopology } from './delete-topology.js'
// Brings in the types of what the global setup provides to `inject`.
import type {} from './global-setup.js'

export interface TestTopology {
  exchange: string
  queue: string
  dlq: string
  /** The environment an ingest process needs to use these names. */
  env: Record<string, string>
  connection: amqp.ChannelModel
  channel: amqp.ConfirmChannel
  /** Deletes the exchange and both queues and closes the connection. */
  cleanup: () => Promise<void>
}

/** Exchange and queue names of its own for one test file, so files can run side by side. */
export async function createTestTopology(label = 'test'): Promise<TestTopology> {
  const suffix = `${label}.${randomBytes(4).toString('hex')}`
  const exchange = `test.bloodbank.${suffix}`
  const queue = `test.esm.${suffix}`
  const dlq = `test.esm.dlq.${suffix}`

  const connection = await amqp.connect(inject('rabbitmqUrl'))
  const channel = await connection.createConfirmChannel()
  await channel.assertExchange(exchange, 'topic', { durable: true })

  return {
    exchange,
    queue,
    dlq,
    env: {
      RABBITMQ_URL: inject('rabbitmqUrl'),
      BLOODBANK_EXCHANGE: exchange,
      EVENT_STORE_MANAGER_QUEUE: queue,
      EVENT_STORE_MANAGER_DLQ: dlq,
    },
    connection,
    channel,
    cleanup: async () => {
      await deleteTopology(channel, { exchange, queue, dlq })
      await connection.close().catch(() => undefined)
    },
  }
}
