import { randomBytes } from 'node:crypto'

import { afterAll, describe, expect, inject, it } from 'vitest'

// Brings in the types of what the global setup provides to `inject`.
import type {} from '../../../test/support/global-setup.js'

import { dropDatabase, ensureDatabase, withDatabase } from './database-admin.js'
import { migrateDown, migrateUp, readMigrations } from './migrate.js'
import { createClient } from './pool.js'

const name = `historian_migrate_${randomBytes(4).toString('hex')}`
const url = withDatabase(inject('databaseUrl'), name)

async function tables(): Promise<string[]> {
  const client = createClient(url)
  await client.connect()
  try {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY 1`,
    )
    return rows.map((row) => row.table_name)
  } finally {
    await client.end()
  }
}

describe('migrations', () => {
  afterAll(async () => {
    await dropDatabase(url)
  })

  it('creates the database, applies every migration, then does nothing again', async () => {
    const all = (await readMigrations()).map((m) => m.version)

    const first = await migrateUp(url)
    const second = await migrateUp(url)

    expect(first.applied).toEqual(all)
    expect(second.applied).toEqual([])
    expect(await tables()).toEqual(
      expect.arrayContaining(['agent_sessions', 'event_types', 'events', 'workflow_state']),
    )
    expect(await ensureDatabase(url)).toBe(false)
  })

  it('reverts every migration with its down step, then applies them again', async () => {
    const all = (await readMigrations()).map((m) => m.version)

    const down = await migrateDown(url, all.length)
    expect(down.reverted).toEqual([...all].reverse())
    expect(await tables()).toEqual([])

    const again = await migrateUp(url)
    expect(again.applied).toEqual(all)
  })
})
