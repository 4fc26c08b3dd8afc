import type { Channel } from 'amqplib'

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

/** Declares everything ingest needs; safe to repeat on every (re)connect. */
export async function assertTopology(channel: Channel, names: TopologyNames): Promise<void> {
  await channel.assertExchange(names.exchange, 'topic', { durable: true })
  await channel.assertQueue(names.queue, { durable: true })
  await channel.bindQueue(names.queue, names.exchange, '#')

  await channel.assertExchange(deadLetterExchange(names), 'fanout', { durable: true })
  await channel.assertQueue(names.dlq, { durable: true })
  await channel.bindQueue(names.dlq, deadLetterExchange(names), '')
}
