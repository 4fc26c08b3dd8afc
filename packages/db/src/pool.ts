import pg from 'pg'

const TIMESTAMPTZ_OID = 1184
const TIMESTAMP_OID = 1114

/**
 * Timestamps stay text: `Date` keeps milliseconds only, and the Historian promises
 * microseconds. Everything else uses pg's usual parsers (int8 stays a string).
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ_OID || oid === TIMESTAMP_OID) return (value: string) => value
    return pg.types.getTypeParser(oid, format)
  },
}

export interface PoolOptions {
  max?: number
  applicationName?: string
  /** Milliseconds to wait for a connection before failing, so a dead database is noticed. */
  connectionTimeoutMillis?: number
  /**
   * Milliseconds after which Postgres ends a session that sits idle inside a transaction. A
   * writer that freezes mid-batch would otherwise hold its position reservation, and with it
   * every reader, until its TCP connection times out (hours).
   */
  idleInTransactionTimeoutMs?: number
}

/** A pg pool whose sessions run in UTC and whose timestamps keep every microsecond. */
export function createPool(connectionString: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'historian',
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5000,
    options: sessionOptions(options),
    keepAlive: true,
    types,
  })

  // A checked-out client whose server goes away emits 'error' as well as failing the query in
  // hand; with no listener that event would crash the process. The failed query is what callers
  // act on, so the event itself is only swallowed here.
  pool.on('connect', (client) => client.on('error', () => undefined))
  // Likewise an idle client losing its server is reported on the pool; the next checkout simply
  // opens a new connection. Callers add their own listener to log it.
  pool.on('error', () => undefined)
  return pool
}

function sessionOptions(options: PoolOptions): string {
  const idle = options.idleInTransactionTimeoutMs
  return idle === undefined
    ? '-c TimeZone=UTC'
    : `-c TimeZone=UTC -c idle_in_transaction_session_timeout=${Math.round(idle)}`
}

/** A single client with the same settings as `createPool`, for LISTEN and admin work. */
export function createClient(connectionString: string, applicationName = 'historian'): pg.Client {
  return new pg.Client({
    connectionString,
    application_name: applicationName,
    connectionTimeoutMillis: 5000,
    options: '-c TimeZone=UTC',
    types,
  })
}
