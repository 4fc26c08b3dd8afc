import type { Config } from '@historian/config'
import type { Database } from '@historian/db'
import type { Kysely } from 'kysely'
import type pg from 'pg'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'

/** What every route and the stream share; built once in `main.ts` (or by a test). */
export interface ApiDeps {
  config: Config
  pool: pg.Pool
  db: Kysely<Database>
  logger: Logger
  registry: Registry
}
