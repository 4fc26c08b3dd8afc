import { randomBytes } from 'node:crypto'

import type { Kysely } from 'kysely'
import type pg from 'pg'
import { inject } from 'vitest'

// Brings in the types of what the global setup provides to `inject`.
import type {} from './global-setup.js'

import {
  createClient,
  createDatabase,
  createPool,
  dropDatabase,
  migrateUp,
  withDatabase,
  type Database,
} from '@historian/db'

export interface TestDatabase {
  url: string
  pool: pg.Pool
  db: Kysely<Database>
  drop: () => Promise<void>
}

/** A database of its own for one test file, migrated, dropped (with its sessions) at the end. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const name = `historian_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`
  const url = withDatabase(inject('databaseUrl'), name)
  await migrateUp(url)

  const pool = createPool(url, { max: 5, applicationName: 'historian-test' })
  const db = createDatabase(pool)

  return {
    url,
    pool,
    db,
    drop: async () => {
      await db.destroy()
      const admin = createClient(withDatabase(url, 'postgres'))
      await admin.connect()
      try {
        // Ending a pool resolves before its sockets are closed; dropping with FORCE at once
        // would kill those sessions and surface as errors in whichever client still held one.
        for (let i = 0; i < 50; i++) {
          const open = await admin.query(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
            [name],
          )
          if (open.rows[0].n === 0) break
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      } finally {
        await admin.end()
      }
      await dropDatabase(url)
    },
  }
}
