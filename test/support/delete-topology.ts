import type { Channel } from 'amqplib'

import { deadLetterExchange, type TopologyNames } from '../../apps/ingest/src/consume/topology.js'

/**
 * Deletes what the ingest declares for these names (see `assertTopology`), the dead-letter
 * exchange included. Whatever is already gone is skipped, so a failed run can be cleaned too.
 */
export async function deleteTopology(channel: Channel, names: TopologyNames): Promise<void> {
  await channel.deleteQueue(names.queue).catch(() => undefined)
  await channel.deleteQueue(names.dlq).catch(() => undefined)
  await channel.deleteExchange(names.exchange).catch(() => undefined)
  await channel.deleteExchange(deadLetterExchange(names)).catch(() => undefined)
}
