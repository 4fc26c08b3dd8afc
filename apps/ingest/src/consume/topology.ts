import type { Channel, ChannelModel } from 'amqplib'

export interface TopologyNames {
  exchange: string
  queue: string
  dlq: string
}

/**
 * The exchange refused copies are published through. It is a fanout bound only to the DLQ, so a
 * copy keeps its original routing key and still cannot reach the Bloodbank exchange's `#`.
 */
export function deadLetterExchange(names: TopologyNames): string {
  return `${names.dlq}.exchange`
}

/**
 * Declares everything ingest needs; safe to repeat on every (re)connect. A queue that already
 * exists is used as it is, whatever its type: an operator may have declared it as a quorum
 * queue, and redeclaring it with other arguments would be refused by the broker.
 */
export async function assertTopology(
  connection: ChannelModel,
  channel: Channel,
  names: TopologyNames,
): Promise<void> {
  await channel.assertExchange(names.exchange, 'topic', { durable: true })
  if (!(await queueExists(connection, names.queue))) {
    await channel.assertQueue(names.queue, { durable: true })
  }
  await channel.bindQueue(names.queue, names.exchange, '#')

  await channel.assertExchange(deadLetterExchange(names), 'fanout', { durable: true })
  if (!(await queueExists(connection, names.dlq))) {
    await channel.assertQueue(names.dlq, { durable: true })
  }
  await channel.bindQueue(names.dlq, deadLetterExchange(names), '')
}

/** A passive declare on a channel of its own, because a missing queue closes the channel. */
async function queueExists(connection: ChannelModel, queue: string): Promise<boolean> {
  const probe = await connection.createChannel()
  probe.on('error', () => undefined)
  try {
    await probe.checkQueue(queue)
    await probe.close()
    return true
  } catch {
    return false
  }
}
