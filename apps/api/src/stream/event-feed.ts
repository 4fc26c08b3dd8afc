import type { Database } from '@historian/db'
import {
  readStreamPage,
  safePosition,
  type StreamEventRow,
  type StreamPageRequest,
} from '@historian/queries'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'

import type { Fanout } from './fanout.js'
import type { StreamMetrics } from './stream-metrics.js'

export const DEFAULT_POLL_INTERVAL_MS = 2_000
/** Far above any healthy read of one page; a read this slow is taken for a dead connection. */
export const DEFAULT_READ_TIMEOUT_MS = 15_000
const RETRY_MIN_MS = 100
const RETRY_MAX_MS = 5_000

export interface EventFeedOptions {
  /**
   * Opens the feed's own connection (so that replays and REST queries never delay live
   * events), and opens it again when a read outlives `readTimeoutMs`: a half-open socket never
   * errors, and would otherwise hold the live stream until the kernel gives up on it.
   */
  openDatabase: () => Kysely<Database>
  readTimeoutMs: number
  fanout: Fanout
  page: Pick<StreamPageRequest, 'limit' | 'maxBytes'>
  /** The slow poll that covers doorbells that never came. */
  pollIntervalMs: number
  metrics: StreamMetrics
  logger: Logger
}

/**
 * The one reader of new events in this process. Each doorbell asks for a read of everything
 * after the last position fanned out; doorbells that ring during a read coalesce into one more
 * read. It reads after the last position and only up to `safePosition`, so a row that an ingest
 * transaction commits later, below rows already committed, is never passed.
 */
export class EventFeed {
  readonly #options: EventFeedOptions
  /** Every event at or below it has been offered to every live client; null until started. */
  #position: bigint | null = null
  #reading = false
  #again = false
  /** When the oldest doorbell not yet read arrived (performance.now()), for the latency metric. */
  #rangAt: number | null = null
  #failures = 0
  #retrying = false
  #poll: NodeJS.Timeout | undefined
  #closed = false
  #db: Kysely<Database>

  constructor(options: EventFeedOptions) {
    this.#options = options
    this.#db = options.openDatabase()
  }

  /** The position live delivery has reached; null until the feed has started. */
  get position(): bigint | null {
    return this.#position
  }

  /** Finds the live head, retrying while the database is away, then starts the slow poll. */
  async start(): Promise<void> {
    while (!this.#closed && this.#position === null) {
      try {
        this.#position = await this.#timed(safePosition(this.#db))
      } catch (err) {
        this.#options.logger.warn({ err }, 'cannot read the live head yet; retrying')
        await sleep(this.#retryDelay())
      }
    }
    this.#failures = 0
    if (this.#closed) return

    this.#poll = setInterval(() => this.ring(), this.#options.pollIntervalMs)
    this.ring()
  }

  /** A doorbell (with the position it announced) or a poll (without). */
  ring(announced?: string): void {
    if (this.#closed || this.#retrying || this.#position === null) return
    if (announced !== undefined) {
      if (!this.#reading && isAtOrBelow(announced, this.#position)) return
      this.#rangAt ??= performance.now()
    }

    if (this.#reading) {
      this.#again = true
      return
    }
    void this.#readWhileRung()
  }

  /** Stops reading; waits a moment for the connection to end, not for a read that hangs. */
  async close(): Promise<void> {
    this.#closed = true
    clearInterval(this.#poll)
    await Promise.race([this.#db.destroy().catch(() => undefined), sleep(1_000)])
  }

  async #readWhileRung(): Promise<void> {
    this.#reading = true
    try {
      do {
        this.#again = false
        const rangAt = this.#rangAt
        this.#rangAt = null
        await this.#readNew(rangAt)
        if (this.#failures > 0) this.#options.logger.info('reading new events again')
        this.#failures = 0
      } while (this.#again && !this.#closed)
    } catch (err) {
      const log = this.#options.logger
      if (this.#failures === 0) log.warn({ err }, 'reading new events failed; retrying')
      else log.debug({ err }, 'reading new events failed again')

      // One retry at a time: doorbells and polls wait for it rather than fail alongside.
      this.#retrying = true
      setTimeout(() => {
        this.#retrying = false
        this.ring()
      }, this.#retryDelay()).unref()
    } finally {
      this.#reading = false
    }
  }

  async #readNew(rangAt: number | null): Promise<void> {
    const { fanout, page, metrics } = this.#options
    metrics.feedReads.inc()

    if (fanout.size === 0 && (await this.#skipWhileAlone())) return

    // Ingest transactions commit in any order: read only up to where nothing can commit later.
    const upTo = await this.#timed(safePosition(this.#db))
    for (;;) {
      const { events, complete } = await this.#timed(
        readStreamPage(this.#db, { after: this.#position as bigint, upTo, ...page }),
      )
      if (this.#closed) return

      if (events.length > 0) this.#deliver(events, rangAt)
      if (complete) {
        // Positions without a row (duplicates, reservations) are passed all the same.
        if (upTo > (this.#position as bigint)) this.#position = upTo
        return
      }
    }
  }

  #deliver(events: readonly StreamEventRow[], rangAt: number | null): void {
    const { fanout, metrics } = this.#options
    const sent = fanout.deliver(events)
    this.#position = BigInt((events.at(-1) as StreamEventRow).position)
    metrics.framesSent.inc({ type: 'event' }, sent)

    if (rangAt !== null && sent > 0) {
      const seconds = (performance.now() - rangAt) / 1000
      for (let i = 0; i < events.length; i++) metrics.commitToFrameSeconds.observe(seconds)
    }
  }

  /**
   * With no client connected there is nobody to read bodies for: the feed moves to the live
   * head instead. Only if still nobody has connected when the answer comes (a client that did
   * starts from the old position and needs the events in between).
   */
  async #skipWhileAlone(): Promise<boolean> {
    const head = await this.#timed(safePosition(this.#db))
    if (this.#options.fanout.size > 0) return false

    if (head > (this.#position as bigint)) this.#position = head
    return true
  }

  /** The query's answer, or, past the read timeout, an error and a fresh connection. */
  async #timed<T>(query: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // The abandoned query keeps its connection; ending the old pool waits for it.
        const stale = this.#db
        this.#db = this.#options.openDatabase()
        void stale.destroy().catch(() => undefined)
        reject(new Error(`no answer from the database in ${this.#options.readTimeoutMs} ms`))
      }, this.#options.readTimeoutMs)
    })
    query.catch(() => undefined)

    try {
      return await Promise.race([query, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  #retryDelay(): number {
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.#failures)
    this.#failures++
    return delay
  }
}

/** Whether a doorbell's position (decimal text) is already covered. */
function isAtOrBelow(announced: string, position: bigint): boolean {
  return /^\d{1,19}$/.test(announced) && BigInt(announced) <= position
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}
