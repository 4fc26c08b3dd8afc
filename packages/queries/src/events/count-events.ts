import type { Database } from '@historian/db'
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
 * boundaries (the pool's sessions run in UTC) and are labelled `YYYY-MM-DDTHH:MM:SSZ`. Series
 * are ordered by key, counts by time; buckets without events are left out.
 */
export async function countEvents(
  db: Kysely<Database>,
  request: StatsRequest,
): Promise<StatsSeries[]> {
  const column = sql.ref(STATS_GROUP_COLUMNS[request.groupBy])
  const bucketStart = sql`date_trunc(${request.bucket}, occurred_at)`

  const rows = await db
    .selectFrom('events')
    .select([
      sql<string | null>`${column}`.as('key'),
      sql<string>`to_char(${bucketStart}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`.as('t'),
      sql<number>`count(*)::int`.as('n'),
    ])
    .where('occurred_at', '>=', request.startTime)
    .where('occurred_at', '<', request.endTime)
    .groupBy([sql`1`, sql`2`])
    .orderBy(sql`1`)
    .orderBy(sql`2`)
    .execute()

  const series: StatsSeries[] = []
  for (const row of rows) {
    const last = series[series.length - 1]
    if (last && last.key === row.key) last.counts.push({ t: row.t, n: row.n })
    else series.push({ key: row.key, counts: [{ t: row.t, n: row.n }] })
  }
  return series
}
