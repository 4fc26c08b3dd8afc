import { sql, type Kysely } from 'kysely'

import type { Database } from '@historian/db'

import { applyProjectionsTo, type ProjectionTargets } from './apply-projections.js'
import { toProjectedEvent } from './project-stored-event.js'
import { readStoredEvents, type ReplayBatchLimits } from './read-stored-events.js'
import { PROJECTIONS } from './rules.js'
import { storedColumns } from './upsert-statement.js'
import { safePosition } from '../stream/safe-position.js'

/** Events read and projected per replay batch. */
export const DEFAULT_REBUILD_BATCH_EVENTS = 2000
/** Body bytes per replay batch, so that large bodies do not fill memory. */
export const DEFAULT_REBUILD_BATCH_BYTES = 32 * 1024 * 1024

/** Any fixed number works; it only keeps two rebuilds from running at the same time. */
export const REBUILD_LOCK_KEY = 7_203_114_004

/** Session-private shadow tables: they vanish with the connection if the rebuild dies. */
const SHADOW_TARGETS: ProjectionTargets = {
  workflow_state: 'pg_temp.workflow_state_rebuild',
  agent_sessions: 'pg_temp.agent_sessions_rebuild',
}

/** Where a rebuild stands, reported after every batch. */
export interface RebuildProgress {
  /** `replay` runs beside the ingest; `catch-up` and `swap` run while it waits. */
  phase: 'replay' | 'catch-up' | 'swap' | 'done'
  eventsReplayed: number
  /** The position replayed up to. */
  position: string
  /**
   * The highest committed position, as last read: at the start, and again whenever the replay
   * reaches it, since the ingest keeps writing. Never below `position`.
   */
  headPosition: string
  elapsedMs: number
}

/** Batch limits (defaults above) and a progress callback, called after every batch. */
export interface RebuildOptions {
  batchEvents?: number
  batchBytes?: number
  onProgress?: (progress: RebuildProgress) => void
}

/** What a finished rebuild did. */
export interface RebuildResult {
  eventsReplayed: number
  workflows: number
  sessions: number
  elapsedMs: number
  /** How long the ingest had to wait for the projection tables (catch-up and swap). */
  lockedMs: number
}

/** Thrown when another rebuild holds the rebuild lock. */
export class RebuildAlreadyRunningError extends Error {
  readonly code = 'REBUILD_ALREADY_RUNNING'

  constructor() {
    super('another projection rebuild is running')
    this.name = 'RebuildAlreadyRunningError'
  }
}

/**
 * Rebuilds `workflow_state` and `agent_sessions` from `events`, in position order, while the
 * ingest keeps writing.
 *
 * 1. Replays every event into session-private shadow tables, batch by batch, without locks.
 * 2. In one transaction: locks both live tables against writers (`EXCLUSIVE`: readers carry
 *    on, the ingest's projection step waits), replays the events committed meanwhile, and
 *    replaces the live rows with the shadow's. Readers see the old rows until the commit.
 *
 * The replay reads only up to `safePosition`, so every event at or below the last one it read
 * has been replayed. Under the lock, the catch-up reads every event committed after that; an
 * event not yet committed belongs to an ingest transaction that projects it after the swap,
 * since its projection step waits for the lock.
 *
 * @example
 * await rebuildProjections(db, { onProgress: (p) => console.log(p.phase, p.eventsReplayed) })
 */
export async function rebuildProjections(
  db: Kysely<Database>,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const limits: ReplayBatchLimits = {
    maxEvents: options.batchEvents ?? DEFAULT_REBUILD_BATCH_EVENTS,
    maxBytes: options.batchBytes ?? DEFAULT_REBUILD_BATCH_BYTES,
  }
  const startedAt = Date.now()

  // Temp tables belong to one session, so every step runs on one connection.
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ locked: boolean }>`
      SELECT pg_try_advisory_lock(${REBUILD_LOCK_KEY}) AS locked
    `.execute(conn)
    if (!rows[0]?.locked) throw new RebuildAlreadyRunningError()

    try {
      await createShadows(conn)
      let headPosition = await highestPosition(conn)

      let eventsReplayed = 0
      const report = (phase: RebuildProgress['phase'], position: string) =>
        options.onProgress?.({
          phase,
          eventsReplayed,
          position,
          headPosition,
          elapsedMs: Date.now() - startedAt,
        })

      const replay = async (on: Kysely<Database>, from: string, phase: 'replay' | 'catch-up') => {
        let position = from
        for (;;) {
          // Without the lock, ingest transactions may still commit below the newest rows: read
          // only up to where none can. Under the lock, every event that is not yet visible
          // belongs to a transaction that projects it after the swap, so read all there is.
          const upTo = phase === 'replay' ? String(await safePosition(on)) : undefined
          const batch = await readStoredEvents(on, position, limits, upTo)
          const last = batch.at(-1)
          if (!last) return position

          await applyProjectionsTo(on, batch.map(toProjectedEvent), SHADOW_TARGETS)
          eventsReplayed += batch.length
          position = last.position
          if (BigInt(position) >= BigInt(headPosition)) headPosition = await highestPosition(on)
          report(phase, position)
        }
      }

      const replayed = await replay(conn, '0', 'replay')

      const lockedAt = Date.now()
      let finalPosition = replayed
      const counts = await conn.transaction().execute(async (trx) => {
        await sql`LOCK TABLE workflow_state, agent_sessions IN EXCLUSIVE MODE`.execute(trx)
        finalPosition = await replay(trx, replayed, 'catch-up')
        report('swap', finalPosition)
        return swapIn(trx)
      })
      const lockedMs = Date.now() - lockedAt

      await sql`ANALYZE workflow_state, agent_sessions`.execute(conn)
      report('done', finalPosition)

      return { eventsReplayed, ...counts, elapsedMs: Date.now() - startedAt, lockedMs }
    } finally {
      await dropShadows(conn)
      await sql`SELECT pg_advisory_unlock(${REBUILD_LOCK_KEY})`.execute(conn)
    }
  })
}

async function createShadows(conn: Kysely<Database>): Promise<void> {
  await dropShadows(conn)

  for (const rules of PROJECTIONS) {
    const shadow = SHADOW_TARGETS[rules.table]
    // Only the key's index: it is what the upsert needs, and the others would slow the replay.
    await sql
      .raw(`CREATE TABLE ${shadow} (LIKE ${rules.table} INCLUDING DEFAULTS INCLUDING GENERATED)`)
      .execute(conn)
    await sql.raw(`ALTER TABLE ${shadow} ADD PRIMARY KEY (${rules.key.column})`).execute(conn)
  }
}

async function dropShadows(conn: Kysely<Database>): Promise<void> {
  for (const shadow of Object.values(SHADOW_TARGETS)) {
    await sql.raw(`DROP TABLE IF EXISTS ${shadow}`).execute(conn)
  }
}

async function highestPosition(conn: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ position: string | null }>`
    SELECT max(position)::text AS position FROM events
  `.execute(conn)
  return rows[0]?.position ?? '0'
}

/** Replaces the live rows with the shadow's, in place, so readers never see an empty table. */
async function swapIn(trx: Kysely<Database>): Promise<{ workflows: number; sessions: number }> {
  const counts: number[] = []

  for (const rules of PROJECTIONS) {
    const columns = storedColumns(rules).join(', ')
    await sql.raw(`DELETE FROM ${rules.table}`).execute(trx)
    const inserted = await sql
      .raw(
        `INSERT INTO ${rules.table} (${columns}) ` +
          `SELECT ${columns} FROM ${SHADOW_TARGETS[rules.table]}`,
      )
      .execute(trx)
    counts.push(Number(inserted.numAffectedRows ?? 0))
  }

  return { workflows: counts[0] ?? 0, sessions: counts[1] ?? 0 }
}
