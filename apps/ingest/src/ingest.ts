import type { Logger } from 'pino'

import type { Config } from '@historian/config'
import {
  decode,
  type DecodedEvent,
  type DecodeLimits,
  type RefusalReason,
} from '@historian/envelope'

import { Acknowledger } from './consume/acknowledger.js'
import { backoffMs, sleep } from './consume/backoff.js'
import { BrokerSession, type Delivery } from './consume/broker-session.js'
import type { IngestMetrics } from './http/ingest-metrics.js'
import type { BatchWriter } from './persist/batch-writer.js'

const QUEUE_SAMPLE_INTERVAL_MS = 5000

/**
 * Two batches in flight: while one is written and committed, the next is already decoded and
 * sent, so neither the database nor this process waits idle. Three measured no faster (16,100
 * events/s on average over four `bench:ingest` runs, as with two) and hold more memory.
 */
const BATCHES_IN_FLIGHT = 2

/** A delivery waiting for the next batch, decoded or refused. */
interface Pending {
  delivery: Delivery
  bytes: number
  event?: DecodedEvent
  refusal?: { reason: RefusalReason; detail: string }
}

export interface IngestOptions {
  config: Config
  logger: Logger
  metrics: IngestMetrics
  writer: BatchWriter
}

export interface IngestStatus {
  connected: boolean
  consuming: boolean
  writing: 'ok' | 'retrying'
  lastCommitAt: string | null
  lastPosition: string | null
  buffered: number
  inflightBytes: number
}

/**
 * The consume → decode → batch → write → acknowledge loop. Batches close at
 * `INGEST_BATCH_SIZE` messages or `INGEST_BATCH_MAX_WAIT_MS` after their first message; one
 * batch is written at a time while the next one fills. Acknowledgements follow the commit.
 */
export class Ingest {
  readonly #config: Config
  readonly #log: Logger
  readonly #metrics: IngestMetrics
  readonly #writer: BatchWriter
  readonly #broker: BrokerSession
  readonly #acknowledger: Acknowledger
  readonly #limits: DecodeLimits
  readonly #stopping = new AbortController()

  #buffer: Pending[] = []
  #bufferBytes = 0
  /** Bytes of the batch being written; with the buffer, what `INGEST_MAX_INFLIGHT_BYTES` caps. */
  #writingBytes = 0
  #wake: (() => void) | undefined
  #loop: Promise<void> | undefined
  #retrying = false
  #sampler: NodeJS.Timeout | undefined
  #lastCommitAt: Date | null = null
  #lastPosition: string | null = null

  constructor(options: IngestOptions) {
    this.#config = options.config
    this.#log = options.logger.child({ component: 'ingest.pipeline' })
    this.#metrics = options.metrics
    this.#writer = options.writer
    this.#limits = {
      maxMessageBytes: options.config.INGEST_MAX_MESSAGE_BYTES,
      maxJsonDepth: options.config.INGEST_MAX_JSON_DEPTH,
    }
    this.#broker = new BrokerSession({
      url: options.config.RABBITMQ_URL,
      names: {
        exchange: options.config.BLOODBANK_EXCHANGE,
        queue: options.config.EVENT_STORE_MANAGER_QUEUE,
        dlq: options.config.EVENT_STORE_MANAGER_DLQ,
      },
      prefetch: options.config.INGEST_PREFETCH,
      logger: options.logger.child({ component: 'ingest.broker' }),
      onDelivery: (delivery) => this.#onDelivery(delivery),
      onLost: (generation) => this.#onLost(generation),
    })
    this.#acknowledger = new Acknowledger(this.#broker)
  }

  async start(): Promise<void> {
    this.#loop = this.#run()
    this.#sampler = setInterval(() => void this.#sampleQueueDepth(), QUEUE_SAMPLE_INTERVAL_MS)
    this.#sampler.unref()
    await this.#broker.start()
  }

  /** The backlog is the lag operators care about; sampled, because checkQueue is a round trip. */
  async #sampleQueueDepth(): Promise<void> {
    const depth = await this.#broker.queueDepth().catch(() => undefined)
    if (depth !== undefined) this.#metrics.queueDepth.set(depth)
  }

  status(): IngestStatus {
    return {
      connected: this.#broker.connected,
      consuming: this.#broker.consuming,
      writing: this.#retrying ? 'retrying' : 'ok',
      lastCommitAt: this.#lastCommitAt?.toISOString() ?? null,
      lastPosition: this.#lastPosition,
      buffered: this.#buffer.length,
      inflightBytes: this.#inflightBytes(),
    }
  }

  /** Stops consuming, writes and acknowledges what is in hand, then closes the broker. */
  async stop(): Promise<void> {
    if (this.#stopping.signal.aborted) return this.#loop
    this.#log.info({ buffered: this.#buffer.length }, 'stopping: finishing the batch in hand')

    clearInterval(this.#sampler)
    await this.#broker.pause()
    this.#stopping.abort()
    this.#wake?.()
    await this.#loop
    await this.#broker.close()
  }

  #onDelivery(delivery: Delivery): void {
    const { message } = delivery
    this.#metrics.received.inc()

    const result = decode(
      {
        body: message.content,
        routingKey: message.fields.routingKey,
        exchange: message.fields.exchange,
        brokerTimestamp: message.properties.timestamp
          ? new Date(Number(message.properties.timestamp) * 1000)
          : undefined,
        messageId: message.properties.messageId,
        redelivered: message.fields.redelivered,
        xDeath: message.properties.headers?.['x-death'],
        receivedAt: delivery.receivedAt,
      },
      this.#limits,
    )

    const pending: Pending = { delivery, bytes: message.content.length }
    if (result.ok) pending.event = result.event
    else pending.refusal = { reason: result.reason, detail: result.detail }
    this.#log.debug({ routingKey: message.fields.routingKey, ok: result.ok }, 'message received')

    this.#buffer.push(pending)
    this.#bufferBytes += pending.bytes
    if (this.#inflightBytes() > this.#config.INGEST_MAX_INFLIGHT_BYTES) void this.#broker.pause()

    // The first message starts the batch clock; a full batch goes at once.
    const size = this.#buffer.length
    if (size === 1 || size >= this.#config.INGEST_BATCH_SIZE) this.#wake?.()
  }

  #inflightBytes(): number {
    return this.#bufferBytes + this.#writingBytes
  }

  /** Messages of a lost channel will be redelivered; holding them would only waste memory. */
  #onLost(generation: number): void {
    const kept = this.#buffer.filter((p) => p.delivery.generation !== generation)
    const dropped = this.#buffer.length - kept.length
    this.#buffer = kept
    this.#bufferBytes = kept.reduce((sum, p) => sum + p.bytes, 0)
    this.#acknowledger.forget(generation)
    if (dropped) {
      this.#log.warn({ generation, dropped }, 'dropped unwritten deliveries of a lost channel')
    }
  }

  async #run(): Promise<void> {
    const inFlight = new Set<Promise<void>>()
    let previous: Promise<void> = Promise.resolve()

    while (true) {
      await this.#waitForBatch()
      const batch = this.#buffer.splice(0, this.#config.INGEST_BATCH_SIZE)
      if (batch.length === 0 && this.#stopping.signal.aborted) break
      if (batch.length === 0) continue

      const bytes = batch.reduce((sum, p) => sum + p.bytes, 0)
      this.#bufferBytes -= bytes
      this.#writingBytes += bytes

      const done = this.#process(batch, previous).finally(() => {
        this.#writingBytes -= bytes
        inFlight.delete(done)
        const roomy = this.#inflightBytes() <= this.#config.INGEST_MAX_INFLIGHT_BYTES / 2
        if (roomy && !this.#stopping.signal.aborted) void this.#broker.resume()
      })
      inFlight.add(done)
      previous = done
      if (inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(inFlight)
    }
    await Promise.all(inFlight)
  }

  /** Resolves when a batch is full, its first message has waited long enough, or we stop. */
  async #waitForBatch(): Promise<void> {
    while (!this.#stopping.signal.aborted) {
      if (this.#buffer.length >= this.#config.INGEST_BATCH_SIZE) return

      const first = this.#buffer[0]
      const maxWaitMs = this.#config.INGEST_BATCH_MAX_WAIT_MS
      const waitedMs = first ? Date.now() - first.delivery.receivedAt.getTime() : 0
      if (first && waitedMs >= maxWaitMs) return

      await new Promise<void>((resolve) => {
        const timer = first ? setTimeout(resolve, maxWaitMs - waitedMs) : undefined
        this.#wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.#wake = undefined
    }
  }

  /**
   * Writes one batch, then, once the batch before it has been settled, dead-letters what was
   * refused and acknowledges the rest, so acknowledgements go out in delivery order.
   */
  async #process(batch: Pending[], previous: Promise<void>): Promise<void> {
    const startedAt = performance.now()
    const events = batch.flatMap((p) => (p.event ? [p.event] : []))
    const outcome = await this.#writeWithRetry(events)
    await previous
    if (!outcome) return

    const refused = batch.filter((p) => p.refusal)
    const rejected = new Map(outcome.rejected.map((r) => [r.event, r.error]))
    for (const p of batch) {
      const error = p.event ? rejected.get(p.event) : undefined
      if (error === undefined) continue
      p.refusal = { reason: 'rejected_by_database', detail: error }
      refused.push(p)
    }

    const deadLettered = await this.#deadLetter(refused)
    const settled = batch.filter((p) => !p.refusal || deadLettered.has(p))
    const acked = this.#acknowledger.acknowledge(settled.map((p) => p.delivery))
    this.#record(batch, outcome.appended.length, refused.length, acked, startedAt)
    const last = outcome.appended.at(-1)
    if (last) this.#lastPosition = last.position
  }

  /** Retries transient failures with capped backoff until the write lands or we must stop. */
  async #writeWithRetry(events: DecodedEvent[]) {
    for (let attempt = 0; ; attempt++) {
      try {
        const outcome = await this.#writer.write(events)
        if (this.#retrying) this.#log.info({ attempt }, 'database is back, writing again')
        this.#retrying = false
        return outcome
      } catch (err) {
        this.#retrying = true
        this.#metrics.writeRetries.inc()
        const waitMs = backoffMs(attempt)
        const context = { err, attempt, waitMs, events: events.length }
        this.#log.warn(context, 'batch write failed, retrying')

        // On shutdown the broker will redeliver whatever could not be written.
        if (this.#stopping.signal.aborted && attempt >= 3) return undefined
        await sleep(waitMs)
      }
    }
  }

  /** Publishes refused messages to the DLQ; returns those whose copy the broker confirmed. */
  async #deadLetter(refused: Pending[]): Promise<Set<Pending>> {
    const confirmed = new Set<Pending>()
    await Promise.all(
      refused.map(async (p) => {
        const { reason, detail } = p.refusal!
        try {
          await this.#broker.deadLetter(p.delivery, reason, detail)
          confirmed.add(p)
          this.#metrics.deadLettered.inc({ reason })
          const routingKey = p.delivery.message.fields.routingKey
          this.#log.warn({ reason, detail, routingKey }, 'message dead-lettered')
        } catch (err) {
          // Unacknowledged, so the broker redelivers it and it is refused again.
          this.#log.warn({ err, reason }, 'dead-letter copy not confirmed; leaving for redelivery')
        }
      }),
    )
    return confirmed
  }

  #record(batch: Pending[], inserted: number, refused: number, acked: number, startedAt: number) {
    const ms = performance.now() - startedAt
    const stored = batch.length - refused
    const duplicates = stored - inserted

    this.#metrics.stored.inc(inserted)
    this.#metrics.acked.inc(acked)
    this.#metrics.duplicates.inc(duplicates)
    this.#metrics.batchSize.observe(batch.length)
    this.#metrics.commitSeconds.observe(ms / 1000)
    const now = Date.now()
    for (const p of batch) {
      this.#metrics.lagSeconds.observe((now - p.delivery.receivedAt.getTime()) / 1000)
    }
    this.#lastCommitAt = new Date()

    this.#log.info(
      { count: batch.length, inserted, duplicates, refused, acked, ms: Math.round(ms) },
      'batch committed',
    )
  }
}
