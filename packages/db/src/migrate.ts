import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

import { ensureDatabase } from './database-admin.js'
import { createClient } from './pool.js'

/** The repository's `migrations/` folder. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url))

/** Any fixed number works; it only keeps two starters from migrating at the same time. */
const MIGRATION_LOCK_KEY = 7_203_114_001

export interface Migration {
  version: string
  up: string
  down: string
}

export interface MigrationResult {
  applied: string[]
  reverted: string[]
}

/** Reads `NNNN_name.up.sql` / `NNNN_name.down.sql` pairs, in version order. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = await readdir(dir)
  const ups = files.filter((file) => file.endsWith('.up.sql'))
  const versions = [...new Set(ups.map((file) => file.slice(0, -'.up.sql'.length)))]
  versions.sort()

  return Promise.all(
    versions.map(async (version) => ({
      version,
      up: await readFile(path.join(dir, `${version}.up.sql`), 'utf8'),
      down: await readFile(path.join(dir, `${version}.down.sql`), 'utf8'),
    })),
  )
}

/**
 * Applies every pending migration, each in its own transaction, under an advisory lock.
 * Running it again is a no-op.
 */
export async function migrateUp(
  databaseUrl: string,
  dir = MIGRATIONS_DIR,
): Promise<MigrationResult> {
  await ensureDatabase(databaseUrl)
  const migrations = await readMigrations(dir)

  return withMigrationLock(databaseUrl, async (client) => {
    const done = await appliedVersions(client)
    const applied: string[] = []

    for (const migration of migrations) {
      if (done.has(migration.version)) continue
      await client.query('BEGIN')
      try {
        await client.query(migration.up)
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [
          migration.version,
        ])
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK')
        throw new Error(`migration ${migration.version} failed: ${(error as Error).message}`, {
          cause: error,
        })
      }
      applied.push(migration.version)
    }
    return { applied, reverted: [] }
  })
}

/** Reverts the newest `steps` applied migrations with their down steps. */
export async function migrateDown(
  databaseUrl: string,
  steps = 1,
  dir = MIGRATIONS_DIR,
): Promise<MigrationResult> {
  const migrations = await readMigrations(dir)

  return withMigrationLock(databaseUrl, async (client) => {
    const done = await appliedVersions(client)
    const targets = migrations.filter((m) => done.has(m.version)).reverse().slice(0, steps)
    const reverted: string[] = []

    for (const migration of targets) {
      await client.query('BEGIN')
      try {
        await client.query(migration.down)
        await client.query('DELETE FROM schema_migrations WHERE version = $1', [migration.version])
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK')
        throw error
      }
      reverted.push(migration.version)
    }
    return { applied: [], reverted }
  })
}

async function withMigrationLock<T>(
  databaseUrl: string,
  work: (client: ReturnType<typeof createClient>) => Promise<T>,
): Promise<T> {
  const client = createClient(databaseUrl, 'historian-migrate')
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`)
    return await work(client)
  } finally {
    await client.end()
  }
}

async function appliedVersions(client: ReturnType<typeof createClient>): Promise<Set<string>> {
  const result = await client.query<{ version: string }>('SELECT version FROM schema_migrations')
  return new Set(result.rows.map((row) => row.version))
}
