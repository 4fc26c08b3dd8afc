import { asObject, cleanText } from './json-value.js'
import type { AmqpSummary, IncomingMessage } from './types.js'

/**
 * @internal The message properties worth keeping next to the event. `x-death` entries are
 * reduced to queue, reason and count; amqplib hands string fields over as strings or Buffers
 * and counts as numbers (bigints or typed `{ value }` wrappers are accepted too).
 */
export function summariseAmqp(message: IncomingMessage): AmqpSummary {
  const messageId = message.messageId
  return {
    message_id: messageId === undefined || messageId === '' ? null : cleanText(messageId),
    redelivered: message.redelivered,
    x_death: summariseXDeath(message.xDeath),
  }
}

function summariseXDeath(xDeath: unknown): AmqpSummary['x_death'] {
  if (!Array.isArray(xDeath)) return null

  const entries: NonNullable<AmqpSummary['x_death']> = []
  for (const item of xDeath) {
    const entry = asObject(item)
    if (entry === null) continue
    entries.push({
      queue: headerText(entry.queue),
      reason: headerText(entry.reason),
      count: headerCount(entry.count),
    })
  }

  return entries
}

function headerText(value: unknown): string {
  if (typeof value === 'string') return cleanText(value)
  if (Buffer.isBuffer(value)) return cleanText(value.toString('utf8'))
  return ''
}

function headerCount(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value)

  const wrapped = asObject(value)
  return wrapped === null ? 0 : headerCount(wrapped.value)
}
