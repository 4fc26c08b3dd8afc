import type { ConfirmChannel } from 'amqplib'

import { generateMessages, type GeneratedMessage } from '../../scripts/lib/generate-events.js'

/** Publishes raw bytes to an exchange and waits for the broker's confirmation. */
export async function publishRaw(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  body: Buffer | string,
  options: { messageId?: string; headers?: Record<string, unknown> } = {},
): Promise<void> {
  channel.publish(exchange, routingKey, Buffer.from(body), {
    contentType: 'application/json',
    deliveryMode: 2,
    ...options,
  })
  await channel.waitForConfirms()
}

/**
 * Publishes `count` generated events (the realistic mix), confirming every few thousand, and
 * returns them. `pace` spreads them out: that many per tick of 10 ms.
 */
export async function publishGenerated(
  channel: ConfirmChannel,
  exchange: string,
  count: number,
  options: { seed?: number; perTick?: number } = {},
): Promise<GeneratedMessage[]> {
  const sent: GeneratedMessage[] = []
  for (const message of generateMessages(count, options.seed ?? 1)) {
    channel.publish(exchange, message.routingKey, message.body, {
      contentType: 'application/json',
      deliveryMode: 2,
      messageId: message.messageId,
    })
    sent.push(message)
    if (options.perTick && sent.length % options.perTick === 0) {
      await channel.waitForConfirms()
      await new Promise((resolve) => setTimeout(resolve, 10))
    } else if (sent.length % 2000 === 0) {
      await channel.waitForConfirms()
    }
  }
  await channel.waitForConfirms()
  return sent
}
