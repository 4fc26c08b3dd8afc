import { performance } from 'node:perf_hooks'

import type { Database } from '@historian/db'
import { sql, type Kysely } from 'kysely'

import { loadEvents } from './load-events.js'
import { createLandmarks, generateQueryDataset, type Landmarks } from './query-dataset.js'
import { withoutSecondaryIndexes } from './without-secondary-indexes.js'

/**
 * Generates and stores `count` events, then vacuums and analyses the table, and keeps the
 * landmarks in `bench_query_landmarks` so that `--keep` runs can measure the same data again.
 */
export async function loadDataset(db: Kysely<Database>, count: number): Promise<Landmarks> {
  const landmarks = createLandmarks(count)
  const started = performance.now()
  let reported = 0

  const { result: stored, indexSeconds } = await withoutSecondaryIndexes(db, () =>
    loadEvents(db, generateQueryDataset(count, landmarks), (n) => {
      if (n - reported < 100_000) return
      reported = n
      const rate = Math.round(n / ((performance.now() - started) / 1000))
      console.log(`  ${n.toLocaleString()} stored (${rate.toLocaleString()} events/s)`)
    }),
  )
  const loadSeconds = (performance.now() - started) / 1000 - indexSeconds

  // Loading this fast leaves no time for autovacuum: the visibility map that index-only scans
  // rely on, and the planner's statistics, are what a table that grew over days would have.
  const vacuumStarted = performance.now()
  await sql`VACUUM (ANALYZE) events`.execute(db)
  const vacuumSeconds = (performance.now() - vacuumStarted) / 1000

  await sql`CREATE TABLE bench_query_landmarks (events bigint NOT NULL, landmarks jsonb NOT NULL)`
    .execute(db)
  await sql`INSERT INTO bench_query_landmarks VALUES (${count}, ${JSON.stringify(landmarks)})`
    .execute(db)

  console.log(
    `stored ${stored.toLocaleString()} events in ${loadSeconds.toFixed(1)} s ` +
      `(${Math.round(stored / loadSeconds).toLocaleString()} events/s), ` +
      `indexes built in ${indexSeconds.toFixed(1)} s, ` +
      `VACUUM ANALYZE ${vacuumSeconds.toFixed(1)} s`,
  )
  return landmarks
}

/** The landmarks of a dataset of `count` events loaded by an earlier `--keep` run, if any. */
export async function storedLandmarks(
  db: Kysely<Database>,
  count: number,
): Promise<Landmarks | undefined> {
  const found = await sql<{ landmarks: Landmarks }>`
    SELECT landmarks FROM bench_query_landmarks WHERE events = ${count}`
    .execute(db)
    .catch(() => undefined)
  return found?.rows[0]?.landmarks
}

/** Table and body sizes, for the report. */
export async function describeDataset(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ n: string; heap: string; total: string; body: string }>`
    SELECT count(*) AS n,
           pg_size_pretty(pg_relation_size('events')) AS heap,
           pg_size_pretty(pg_total_relation_size('events')) AS total,
           round(avg(octet_length(body))) AS body
    FROM events`.execute(db)
  const { n, heap, total, body } = rows[0]!
  return (
    `${Number(n).toLocaleString()} events, heap ${heap}, with indexes and TOAST ${total}, ` +
    `average body ${body} bytes`
  )
}
