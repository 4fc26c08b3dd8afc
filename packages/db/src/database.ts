import { Kysely, PostgresDialect } from 'kysely'
import type pg from 'pg'

import type { Database } from './schema.js'

/** Wraps a pg pool in Kysely. The caller owns the pool and ends it. */
export function createDatabase(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}
