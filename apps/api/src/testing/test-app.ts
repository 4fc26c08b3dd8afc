/**
 * @module Test support for the API's spec files (here, not in the root `test/` folder, because
 * hono, pino and prom-client resolve only from this package).
 */
import { loadConfig, type Config } from '@historian/config'
import { createDatabase, createPool } from '@historian/db'
import type { Hono } from 'hono'
import { pino, type Logger } from 'pino'
import { Registry } from 'prom-client'

import { createApp } from '../app.js'
import type { ApiDeps } from '../deps.js'

/** The API's Hono app over a test database, with extra environment (tokens, CORS, limits). */
export function createTestApp(
  database: Pick<ApiDeps, 'pool' | 'db'> & { url: string },
  env: Record<string, string> = {},
  logger: Logger = pino({ level: 'silent' }),
): { app: Hono; config: Config } {
  const config = loadConfig({ DATABASE_URL: database.url, ...env })
  const app = createApp({
    config,
    pool: database.pool,
    db: database.db,
    logger,
    registry: new Registry(),
  })
  return { app, config }
}

export interface UnreachableAppOptions {
  logger?: Logger
  /** How long the pool waits for a connection; 1 s unless a test needs a database to stall. */
  connectionTimeoutMillis?: number
}

/**
 * The API over a database that is not there: a pool pointed at a port nothing listens on (or
 * that never answers), with a short connect timeout. Returns a `close` for the pool.
 */
export function createUnreachableApp(
  port: number,
  options: UnreachableAppOptions = {},
): { app: Hono; close: () => Promise<void> } {
  const url = `postgres://postgres@127.0.0.1:${port}/historian`
  const connectionTimeoutMillis = options.connectionTimeoutMillis ?? 1000
  const pool = createPool(url, { max: 1, connectionTimeoutMillis })
  const db = createDatabase(pool)
  const { app } = createTestApp({ url, pool, db }, {}, options.logger)
  return { app, close: () => db.destroy() }
}
