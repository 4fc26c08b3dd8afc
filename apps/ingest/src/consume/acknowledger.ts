import type { BrokerSession, Delivery } from './broker-session.js'

/**
 * Acknowledges settled deliveries, channel by channel. While every tag of a channel up to a
 * batch's highest has been settled (by this batch or earlier ones), one multiple-ack covers the
 * batch; once a tag is left unsettled (a dead-letter copy the broker did not confirm), each
 * message of that channel is acknowledged on its own, so the unsettled one is never covered.
 */
export class Acknowledger {
  /** Highest tag acknowledged so far, per channel generation, while there is no hole below. */
  readonly #ackedThrough = new Map<number, number>()

  constructor(private readonly broker: BrokerSession) {}

  /** Returns how many were acknowledged; deliveries of a lost channel are skipped. */
  acknowledge(deliveries: readonly Delivery[]): number {
    let acked = 0

    for (const [generation, tags] of tagsByGeneration(deliveries)) {
      const from = (this.#ackedThrough.get(generation) ?? 0) + 1
      const contiguous = tags.every((tag, i) => tag === from + i)
      const last = tags.at(-1)!

      if (contiguous) {
        if (this.broker.ack(generation, last, true)) acked += tags.length
        this.#ackedThrough.set(generation, last)
      } else {
        for (const tag of tags) if (this.broker.ack(generation, tag, false)) acked++
      }
    }
    return acked
  }

  /** Forgets a channel that is gone; its tags can never be acknowledged again. */
  forget(generation: number): void {
    this.#ackedThrough.delete(generation)
  }
}

function tagsByGeneration(deliveries: readonly Delivery[]): Map<number, number[]> {
  const groups = new Map<number, number[]>()
  for (const delivery of deliveries) {
    const tags = groups.get(delivery.generation) ?? []
    tags.push(delivery.message.fields.deliveryTag)
    groups.set(delivery.generation, tags)
  }
  for (const tags of groups.values()) tags.sort((a, b) => a - b)
  return groups
}
