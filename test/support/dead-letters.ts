import type { Channel, GetMessage } from 'amqplib'

/** Takes every message out of a queue (for a DLQ at the end of a test). */
export async function drainQueue(channel: Channel, queue: string): Promise<GetMessage[]> {
  const messages: GetMessage[] = []
  for (;;) {
    const message = await channel.get(queue, { noAck: true })
    if (!message) return messages
    messages.push(message)
  }
}
