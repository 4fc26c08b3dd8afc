import { createClient } from '@historian/db'
import { EVENTS_CHANNEL } from '@historian/queries'
import type pg from 'pg'
import type { Logger } from 'pino'

/** The application_name of the LISTEN connection, so operators (and tests) can find it. */
export const LISTENER_APPLICATION_NAME = 'historian-api-listener'

const RECONNECT_MIN_MS = 100
const RECONNECT_MAX_MS = 5_000
const CHECK_INTERVAL_MS = 10_000
const CHECK_TIMEOUT_MS = 5_000

export interface DoorbellOptions {
  connectionString: string
  applicationName?: string
  logger: Logger
  /** A NOTIFY arrived; its payload is the highest position its transaction committed. */
  onRing: (position: string) => void
  /** LISTEN is (again) in place: everything committed while it was not must be read now. */
  onListening: () => void
  onReconnect?: () => void
}

/**
 * The one LISTEN connection of an API process. A lost connection is reopened with capped
 * backoff; a connection that stops answering (a half-open socket never errors) is found by a
 * periodic query and replaced.
 */
export class Doorbell {
  readonly #options: DoorbellOptions
  #client: pg.Client | null = null
  /** Bumped for each connection, so events from a replaced client are ignored. */
  #generation = 0
  #failures = 0
  #reconnect: NodeJS.Timeout | undefined
  #check: NodeJS.Timeout | undefined
  #closed = false

  constructor(options: DoorbellOptions) {
    this.#options = options
  }

  start(): void {
    this.#check = setInterval(() => void this.#checkAlive(), CHECK_INTERVAL_MS)
    void this.#connect()
  }

  async close(): Promise<void> {
    this.#closed = true
    clearInterval(this.#check)
    clearTimeout(this.#reconnect)
    const client = this.#client
    this.#client = null
    await client?.end().catch(() => undefined)
  }

  async #connect(): Promise<void> {
    const generation = ++this.#generation
    const { connectionString, applicationName, logger } = this.#options
    const client = createClient(connectionString, applicationName ?? LISTENER_APPLICATION_NAME)

    client.on('error', (err) => this.#lost(generation, client, err))
    client.on('end', () => this.#lost(generation, client))
    client.on('notification', (message) => {
      if (generation === this.#generation && message.channel === EVENTS_CHANNEL) {
        this.#options.onRing(message.payload ?? '')
      }
    })

    try {
      await client.connect()
      await client.query(`LISTEN ${EVENTS_CHANNEL}`)
    } catch (err) {
      this.#lost(generation, client, err)
      return
    }
    if (generation !== this.#generation || this.#closed) {
      await client.end().catch(() => undefined)
      return
    }

    this.#client = client
    this.#failures = 0
    logger.info('listening for new events')
    this.#options.onListening()
  }

  #lost(generation: number, client: pg.Client, err?: unknown): void {
    if (generation !== this.#generation || this.#closed) return
    this.#generation++
    this.#client = null
    client.end().catch(() => undefined)

    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** this.#failures)
    this.#failures++
    this.#options.logger.warn({ err, retryInMs: delay }, 'LISTEN connection lost; reconnecting')
    this.#options.onReconnect?.()
    this.#reconnect = setTimeout(() => void this.#connect(), delay)
  }

  async #checkAlive(): Promise<void> {
    const client = this.#client
    if (!client) return
    const generation = this.#generation

    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer to SELECT 1')), CHECK_TIMEOUT_MS)
    })
    // A query abandoned by the timeout still settles later; its rejection is expected.
    const query = client.query('SELECT 1')
    query.catch(() => undefined)
    try {
      await Promise.race([query, timeout])
    } catch (err) {
      this.#lost(generation, client, err)
    } finally {
      clearTimeout(timer)
    }
  }
}
