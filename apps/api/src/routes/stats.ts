import { formatTimestamp } from '@historian/envelope'
import { countEvents, type StatsBucket } from '@historian/queries'
import { Hono } from 'hono'

import type { ApiDeps } from '../deps.js'
import { badParameter } from '../http/api-error.js'
import { parseQuery } from '../http/parse-query.js'
import { StatsQuery } from '../schemas/stats-query.js'

const BUCKET_MILLIS: Record<StatsBucket, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
}

/** The range a request without `start_time` covers, in buckets: an hour, two days, a month. */
export const STATS_DEFAULT_BUCKETS: Record<StatsBucket, number> = { minute: 60, hour: 48, day: 31 }

/** More buckets than this in one request is refused: the answer would not be a chart. */
export const MAX_STATS_BUCKETS = 10_000

/** `GET /stats`: event counts per type, agent or source, per time bucket. */
export function statsRoutes(deps: ApiDeps): Hono {
  const app = new Hono()

  app.get('/stats', async (c) => {
    const query = parseQuery(c, StatsQuery)
    const bucketMillis = BUCKET_MILLIS[query.bucket]

    const endTime = query.end_time ?? query.until ?? formatTimestamp(new Date())
    const defaultSpanMillis = STATS_DEFAULT_BUCKETS[query.bucket] * bucketMillis
    const startTime =
      query.start_time ??
      query.since ??
      formatTimestamp(new Date(Date.parse(endTime) - defaultSpanMillis))

    const spanMillis = Date.parse(endTime) - Date.parse(startTime)
    if (spanMillis < 0) throw badParameter('end_time', 'end_time: must not be before start_time')
    if (spanMillis / bucketMillis > MAX_STATS_BUCKETS) {
      const message = `start_time: the range spans more than ${MAX_STATS_BUCKETS} buckets`
      throw badParameter('start_time', message)
    }

    const series = await countEvents(deps.db, {
      groupBy: query.group_by,
      bucket: query.bucket,
      startTime,
      endTime,
    })
    return c.json({ bucket: query.bucket, start_time: startTime, end_time: endTime, series })
  })

  return app
}
