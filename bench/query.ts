import { performance } from 'node:perf_hooks'

import { loadConfig } from '@historian/config'
import { createClient, createDatabase, createPool, migrateUp, quoteIdent } from '@historian/db'
import { sql } from 'kysely'

import { createTestApp } from '../apps/api/src/testing/test-app.js'
import { formatLatencies, type Latency } from './query/latency.js'
import { loadEvents } from './query/load-events.js'
import { createLandmarks, generateQueryDataset, type Landmarks } from './query/query-dataset.js'
import { withoutSecondaryIndexes } from './query/without-secondary-indexes.js'

/**
 * `pnpm bench:query [N]`: loads N (default 1,000,000) realistic events into a database of its
 * own (`historian_bench_query`, dropped at the end) through ingest's multi-row insert, then
 * times the API in process (`app.request`: validation, SQL, rendering, JSON text) for pages of
 * 100 events reached by cursor under each filter, the descendants of a 1,000-event tree, a
 * workflow timeline (projections are applied while loading, as ingest does) and stats. Prints p50 and p99 per query against DESIGN section 11.
 */
const count = Number(process.argv[2] ?? 1_000_000)
const SAMPLES = 300
const WARMUP = 20
const PAGE_TARGET_MS = 20
const TREE_MS = 50

const base = loadConfig()
const databaseName = 'historian_bench_query'
const adminUrl = new URL('/postgres', base.DATABASE_URL).toString()
const benchUrl = new URL(`/${databaseName}`, base.DATABASE_URL).toString()

await dropDatabase()
await migrateUp(benchUrl)
const pool = createPool(benchUrl, { max: 4, applicationName: 'historian-bench-query' })
const db = createDatabase(pool)

try {
  const landmarks = createLandmarks(count)
  await load(landmarks)

  const { app } = createTestApp({ url: benchUrl, pool, db })
  const request = async (url: string) => {
    const started = performance.now()
    const res = await app.request(url)
    const text = await res.text()
    const millis = performance.now() - started
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${text.slice(0, 200)}`)
    return { res, text, millis }
  }

  const results = await measureAll(landmarks, request)
  console.log('')
  console.log(formatLatencies(results))
} finally {
  await db.destroy()
  await dropDatabase()
}

async function load(landmarks: Landmarks): Promise<void> {
  console.log(`loading ${count.toLocaleString()} events into ${databaseName} ...`)
  const started = performance.now()
  let reported = 0

  const { result: stored, indexSeconds } = await withoutSecondaryIndexes(db, () =>
    loadEvents(db, generateQueryDataset(count, landmarks), (n) => {
      if (n - reported < 100_000) return
      reported = n
      const rate = n / ((performance.now() - started) / 1000)
      console.log(`  ${n.toLocaleString()} stored (${Math.round(rate).toLocaleString()} events/s)`)
    }),
  )
  const loadSeconds = (performance.now() - started) / 1000 - indexSeconds

  // Loading this fast leaves no time for autovacuum: the visibility map that index-only scans
  // rely on, and the planner's statistics, are what a table that grew over days would have.
  const vacuumStarted = performance.now()
  await sql`VACUUM (ANALYZE) events`.execute(db)
  const vacuumSeconds = (performance.now() - vacuumStarted) / 1000

  const size = await sql<{ table: string; total: string; bodies: string }>`
    SELECT pg_size_pretty(pg_relation_size('events')) AS table,
           pg_size_pretty(pg_total_relation_size('events')) AS total,
           pg_size_pretty(avg(octet_length(body))::bigint) AS bodies
    FROM events`.execute(db)
  const { table, total, bodies } = size.rows[0]!
  console.log(
    `stored ${stored.toLocaleString()} events in ${loadSeconds.toFixed(1)} s ` +
      `(${Math.round(stored / loadSeconds).toLocaleString()} events/s), ` +
      `indexes built in ${indexSeconds.toFixed(1)} s, ` +
      `VACUUM ANALYZE ${vacuumSeconds.toFixed(1)} s; ` +
      `heap ${table}, with indexes and TOAST ${total}, average body ${bodies}`,
  )
}

type Request = (url: string) => Promise<{ res: Response; text: string; millis: number }>

async function measureAll(landmarks: Landmarks, request: Request): Promise<Latency[]> {
  const prefix = '/api/v1'
  const day = (n: number) => new Date(landmarks.startMillis + n * 86_400_000).toISOString()
  const page = (query: string) => `${prefix}/events?limit=100${query ? `&${query}` : ''}`
  const pages = (name: string, urls: string[]): Promise<Latency> =>
    measurePages(request, name, urls, PAGE_TARGET_MS)

  const results: Latency[] = [
    await pages('events, no filter (newest first)', [page('')]),
    await pages('events, no filter, order=asc', [page('order=asc')]),
    await pages('workflow_id', landmarks.bigWorkflows.map((id) => page(`workflow_id=${id}`))),
    await pages('correlation_id', landmarks.chains.map((id) => page(`correlation_id=${id}`))),
    await pages('event_type exact', [page('event_type=agent.scout.status')]),
    await pages('event_type=bmad.workflow.*', [page('event_type=bmad.workflow.*')]),
    await pages('event_type=agent.* (72 types)', [page('event_type=agent.*')]),
    await pages('event_type=agent.*.started,llm.', [page('event_type=agent.*.started,llm.')]),
    await pages('routing_key', [page('routing_key=command.builder.deploy')]),
    await pages('agent', landmarks.agents.map((name) => page(`agent=${name}`))),
    await pages('session_id', landmarks.sessions.map((id) => page(`session_id=${id}`))),
    await pages('source', landmarks.sources.map((name) => page(`source=${name}`))),
    await pages('start_time/end_time (one day)', [page(`start_time=${day(3)}&end_time=${day(4)}`)]),
    await pages('agent + time range', [page(`agent=scout&since=${day(5)}&until=${day(9)}`)]),
    await pages(
      'workflow_id + event_type pattern',
      landmarks.bigWorkflows.map((id) => page(`workflow_id=${id}&event_type=*.completed`)),
    ),
    await pages(
      'correlations/{id}',
      landmarks.chains.map((id) => `${prefix}/correlations/${id}?limit=100`),
    ),
    await pages(
      'workflows/{id}/timeline',
      landmarks.bigWorkflows.map((id) => `${prefix}/workflows/${id}/timeline?limit=100`),
    ),
  ]

  const root = `${prefix}/events/${landmarks.treeRoot}`
  const tree = await request(`${root}/descendants`)
  const treeSize = (JSON.parse(tree.text) as unknown[]).length
  const leaf = `${prefix}/events/${landmarks.treeLeaf}`
  const stats = (query: string) => `${prefix}/stats?${query}`
  const once = (name: string, url: string, targetMs?: number) =>
    measureUrl(request, name, url, targetMs)

  results.push(
    await once(`descendants, flat (${treeSize} events)`, `${root}/descendants`, TREE_MS),
    await once('descendants, format=tree', `${root}/descendants?format=tree`, TREE_MS),
    await once('ancestors of the deepest tree event', `${leaf}/ancestors`),
    await once(
      'stats group_by=type, bucket=hour, 1 day',
      stats(`group_by=type&bucket=hour&start_time=${day(3)}&end_time=${day(4)}`),
    ),
    await once(
      'stats group_by=agent, bucket=day, 7 days',
      stats(`group_by=agent&bucket=day&start_time=${day(3)}&end_time=${day(10)}`),
    ),
  )
  return results
}

/**
 * Times pages reached by cursor: walks each start URL along its `Link: rel="next"` headers, in
 * turn, timing only requests that carry `after`, until enough samples are in.
 */
async function measurePages(
  request: Request,
  name: string,
  startUrls: string[],
  targetMs: number,
): Promise<Latency> {
  const samples: number[] = []
  let warm = 0
  let walked = 0

  while (samples.length < SAMPLES && walked < startUrls.length * 50) {
    let url: string | null = startUrls[walked % startUrls.length]!
    walked++
    for (let depth = 0; url && depth < 30 && samples.length < SAMPLES; depth++) {
      const { res, millis } = await request(url)
      if (depth > 0 && warm++ >= WARMUP) samples.push(millis)
      url = /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '')?.[1] ?? null
    }
  }
  console.log(`  measured ${name}`)
  return { name: `${name}, page of 100 by cursor`, samples, targetMs }
}

async function measureUrl(
  request: Request,
  name: string,
  url: string,
  targetMs?: number,
): Promise<Latency> {
  const samples: number[] = []
  for (let i = 0; i < WARMUP + 100; i++) {
    const { millis } = await request(url)
    if (i >= WARMUP) samples.push(millis)
  }
  console.log(`  measured ${name}`)
  return { name, samples, ...(targetMs ? { targetMs } : {}) }
}

async function dropDatabase(): Promise<void> {
  const admin = createClient(adminUrl, 'historian-bench-query')
  await admin.connect()
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(databaseName)} WITH (FORCE)`)
  } finally {
    await admin.end()
  }
}
