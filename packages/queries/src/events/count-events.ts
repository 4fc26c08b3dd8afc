import type { Database } from '@historian/db'
import { formatTimestamp } from '@historian/envelope'
import { sql, type Kysely } from 'kysely'

/** What `GET /stats` groups by, and the column behind each choice. */
export const STATS_GROUP_COLUMNS = {
  type: 'event_type',
  agent: 'agent_name',
  source: 'source_app',
} as const

export type StatsGroupBy = keyof typeof STATS_GROUP_COLUMNS
export type StatsBucket = 'minute' | 'hour' | 'day'

export interface StatsRequest {
  groupBy: StatsGroupBy
  bucket: StatsBucket
  /** Inclusive, ISO 8601. */
  startTime: string
  /** Exclusive, ISO 8601. */
  endTime: string
}

/** Event counts of one key (null where the column is empty), one entry per non-empty bucket. */
export interface StatsSeries {
  key: string | null
  counts: Array<{ t: string; n: number }>
}

/**
 * Counts events per group and time bucket in `[startTime, endTime)`. Buckets start at UTC
 * boundaries (the pool's sessions run in UTC) and are labelled like every other time the API
 * prints, `YYYY-MM-DDTHH:MM:SS.ffffffZ`. Series are ordered by key, counts by time; buckets
 * without events are left out.
 *
 * Each bucket is counted on its own, as a range of the covering time index (migration 0005)
 * grouped by key in a small hash table. Grouping the whole range by (key, bucket) at once would
 * sort every event, because the planner cannot tell that buckets are few. JIT is off for the
 * statement: the bucket series has no row estimate, and compiling costs more than counting.
 */
export async function countEvents(
  db: Kysely<Database>,
  request: StatsRequest,
): Promise<StatsSeries[]> {
  const column = sql.ref(`events.${STATS_GROUP_COLUMNS[request.groupBy]}`)
  const step = sql`${`1 ${request.bucket}`}::interval`
  const start = sql`${request.startTime}::timestamptz`
  const end = sql`${request.endTime}::timestamptz`

  const rows = await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL jit = off`.execute(trx)
    const result = await sql<{ key: string | null; t: string; n: number }>`
      SELECT counted.key, to_char(bucket.start, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS t, counted.n
      FROM generate_series(date_trunc(${request.bucket}, ${start}), ${end}, ${step})
        AS bucket(start)
      CROSS JOIN LATERAL (
        SELECT ${column} AS key, count(*)::int AS n
        FROM events
        WHERE events.occurred_at >= greatest(bucket.start, ${start})
          AND events.occurred_at < least(bucket.start + ${step}, ${end})
        GROUP BY 1
      ) AS counted
      ORDER BY counted.key, bucket.start
    `.execute(trx)
    return result.rows
  })

  const series: StatsSeries[] = []
  for (const row of rows) {
    const count = { t: formatTimestamp(row.t), n: row.n }
    const last = series[series.length - 1]
    if (last && last.key === row.key) last.counts.push(count)
    else series.push({ key: row.key, counts: [count] })
  }
  return series
}
