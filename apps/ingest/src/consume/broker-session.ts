import amqp, { type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib'
import type { Logger } from 'pino'

import type { RefusalReason } from '@historian/envelope'

import { backoffMs, sleep } from './backoff.js'
import { assertTopology, deadLetterExchange, type TopologyNames } from './topology.js'

/** A message together with the channel generation that delivered it. */
export interface Delivery {
  message: ConsumeMessage
  generation: number
  receivedAt: Date
}

export interface BrokerSessionOptions {
  url: string
  names: TopologyNames
  prefetch: number
  logger: Logger
  onDelivery: (delivery: Delivery) => void
  onConnected?: (generation: number) => void
  onLost?: (generation: number) => void
}

/**
 * One AMQP connection and confirm channel, re-created with capped backoff whenever the broker
 * goes away. Each channel gets a new generation number: delivery tags belong to a channel, so
 * an acknowledgement for an older generation is dropped and the broker redelivers instead.
 */
export class BrokerSession {
  readonly #options: BrokerSessionOptions
  readonly #log: Logger
  readonly #closed = new AbortController()

  #connection: ChannelModel | undefined
  #channel: ConfirmChannel | undefined
  #generation = 0
  #consumerTag: string | undefined
  #wantConsuming = true
  #consumeChange: Promise<void> = Promise.resolve()

  constructor(options: BrokerSessionOptions) {
    this.#options = options
    this.#log = options.logger
  }

  get generation(): number {
    return this.#generation
  }

  get connected(): boolean {
    return this.#channel !== undefined
  }

  get consuming(): boolean {
    return this.#consumerTag !== undefined
  }

  /** Connects (retrying until it succeeds or `close` is called) and starts consuming. */
  async start(): Promise<void> {
    for (let attempt = 0; !this.#closed.signal.aborted; attempt++) {
      try {
        await this.#connect()
        return
      } catch (err) {
        const waitMs = backoffMs(attempt)
        this.#log.warn({ err, attempt, waitMs }, 'broker unavailable, retrying')
        await this.#dispose()
        await sleep(waitMs, this.#closed.signal)
      }
    }
  }

  /** Stops deliveries (messages already delivered stay ours to settle). */
  pause(): Promise<void> {
    this.#wantConsuming = false
    return this.#applyConsumeState()
  }

  resume(): Promise<void> {
    this.#wantConsuming = true
    return this.#applyConsumeState()
  }

  /**
   * Acknowledges up to `deliveryTag` (or just it). Returns false, and does nothing, when the
   * tag belongs to a channel that no longer exists.
   */
  ack(generation: number, deliveryTag: number, multiple: boolean): boolean {
    const channel = this.#channel
    if (!channel || generation !== this.#generation) return false

    channel.ack({ fields: { deliveryTag } } as ConsumeMessage, multiple)
    return true
  }

  /**
   * Publishes a refused message to the dead-letter queue with its routing key, properties and
   * body, plus `x-historian-reason`, and resolves once the broker has confirmed the copy.
   */
  deadLetter(delivery: Delivery, reason: RefusalReason, detail: string): Promise<void> {
    const channel = this.#channel
    if (!channel || delivery.generation !== this.#generation) {
      return Promise.reject(new Error('the channel that delivered this message is gone'))
    }

    const { fields, properties, content } = delivery.message
    const headers = {
      ...(properties.headers ?? {}),
      'x-historian-reason': reason,
      'x-historian-detail': detail.slice(0, 500),
      'x-historian-exchange': fields.exchange,
    }

    return new Promise((resolve, reject) => {
      channel.publish(
        deadLetterExchange(this.#options.names),
        fields.routingKey,
        content,
        {
          contentType: properties.contentType,
          contentEncoding: properties.contentEncoding,
          correlationId: properties.correlationId,
          messageId: properties.messageId,
          timestamp: properties.timestamp,
          type: properties.type,
          appId: properties.appId,
          persistent: true,
          headers,
        },
        (err) => (err ? reject(err) : resolve()),
      )
    })
  }

  /** Messages ready in the queue (not counting those delivered and unacknowledged). */
  async queueDepth(): Promise<number | undefined> {
    const channel = this.#channel
    if (!channel) return undefined
    const { messageCount } = await channel.checkQueue(this.#options.names.queue)
    return messageCount
  }

  /** Cancels the consumer and closes the channel and connection; no reconnect follows. */
  async close(): Promise<void> {
    this.#closed.abort()
    await this.pause().catch(() => undefined)
    await this.#dispose()
  }

  async #connect(): Promise<void> {
    const { url, names, prefetch } = this.#options
    const connection = await amqp.connect(url)
    this.#connection = connection
    connection.on('error', (err) => this.#log.warn({ err }, 'broker connection error'))

    const channel = await connection.createConfirmChannel()
    channel.on('error', (err) => this.#log.warn({ err }, 'broker channel error'))
    await assertTopology(connection, channel, names)
    await channel.prefetch(prefetch)

    this.#channel = channel
    this.#generation++
    const generation = this.#generation
    connection.once('close', () => this.#lost(generation))
    channel.once('close', () => this.#lost(generation))

    this.#log.info({ generation, queue: names.queue, prefetch }, 'broker connected')
    this.#options.onConnected?.(generation)
    await this.#applyConsumeState()
  }

  #lost(generation: number): void {
    if (generation !== this.#generation || !this.#channel) return
    this.#channel = undefined
    this.#consumerTag = undefined
    this.#options.onLost?.(generation)
    if (this.#closed.signal.aborted) return

    this.#log.warn({ generation }, 'broker connection lost, reconnecting')
    void this.#dispose().then(() => this.start())
  }

  /** Serialises consume/cancel so that quick pause/resume pairs cannot interleave. */
  #applyConsumeState(): Promise<void> {
    this.#consumeChange = this.#consumeChange.then(async () => {
      const channel = this.#channel
      if (!channel) return

      try {
        if (this.#wantConsuming && !this.#consumerTag) {
          const generation = this.#generation
          const { consumerTag } = await channel.consume(this.#options.names.queue, (message) => {
            if (message === null) return this.#lost(generation)
            this.#options.onDelivery({ message, generation, receivedAt: new Date() })
          })
          this.#consumerTag = consumerTag
        } else if (!this.#wantConsuming && this.#consumerTag) {
          const tag = this.#consumerTag
          this.#consumerTag = undefined
          await channel.cancel(tag)
        }
      } catch (err) {
        // The channel died under us; `#lost` reconnects and re-applies the wanted state.
        this.#log.debug({ err }, 'consume state change failed')
      }
    })
    return this.#consumeChange
  }

  async #dispose(): Promise<void> {
    const connection = this.#connection
    const channel = this.#channel
    this.#connection = undefined
    this.#channel = undefined
    this.#consumerTag = undefined

    // Closing the channel first flushes its acknowledgements: the broker answers CloseOk only
    // after it has read every frame before it. Closing the connection alone can drop them.
    await channel?.close().catch(() => undefined)
    await connection?.close().catch(() => undefined)
  }
}
