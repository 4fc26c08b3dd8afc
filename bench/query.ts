import { availableParallelism, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'

import { loadConfig } from '@historian/config'
import { createDatabase, createPool, dropDatabase, migrateUp, withDatabase } from '@historian/db'

import { createTestApp } from '../apps/api/src/testing/test-app.js'
import { benchQueries } from './query/bench-queries.js'
import { formatLatencies, type Latency } from './query/latency.js'
import { describeDataset, loadDataset, storedLandmarks } from './query/load-dataset.js'
import { measureQuery, type TimedRequest } from './query/measure-query.js'

/**
 * `pnpm bench:query [N] [--keep]`: loads N (default 1,000,000) realistic events into a database
 * of its own (`historian_bench_query`) through ingest's write path, then times the API in
 * process (`app.request`: validation, SQL, rendering, JSON text) for pages of 100 events
 * reached by cursor under each filter, the descendants of a 1,000-event tree, a workflow
 * timeline and stats, and prints p50 and p99 per query against DESIGN section 11.
 *
 * The database is dropped at the end unless `--keep` is given; a later `--keep` run with the
 * same N measures the kept data again without loading it.
 */
const args = process.argv.slice(2)
const keep = args.includes('--keep')
const count = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 1_000_000)

/** Rounds go through every query in turn, so a burst of load elsewhere hits them all alike. */
const ROUNDS = 3
const SAMPLES_PER_ROUND = 100
const WARMUP = 10

const base = loadConfig()
const databaseName = 'historian_bench_query'
const benchUrl = withDatabase(base.DATABASE_URL, databaseName)

if (!keep) await dropDatabase(benchUrl)
await migrateUp(benchUrl)
const pool = createPool(benchUrl, { max: 4, applicationName: 'historian-bench-query' })
const db = createDatabase(pool)

try {
  let landmarks = keep ? await storedLandmarks(db, count) : undefined
  if (landmarks) {
    console.log(`measuring the ${count.toLocaleString()} events kept by an earlier --keep run`)
  } else {
    console.log(`loading ${count.toLocaleString()} events into ${databaseName} ...`)
    landmarks = await loadDataset(db, count)
  }
  console.log(await describeDataset(db))

  const { app } = createTestApp({ url: benchUrl, pool, db })
  const request: TimedRequest = async (url) => {
    const started = performance.now()
    const res = await app.request(url)
    const text = await res.text()
    const millis = performance.now() - started
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${text.slice(0, 200)}`)
    return { res, millis }
  }

  // Latency on a shared machine says little without the load it was measured under.
  const loadBefore = loadavg()[0]!.toFixed(2)
  const queries = benchQueries(landmarks)
  const results: Latency[] = queries.map((query) => ({ ...query, samples: [] }))
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [index, query] of queries.entries()) {
      results[index]!.samples.push(
        ...(await measureQuery(request, query, SAMPLES_PER_ROUND, WARMUP)),
      )
    }
    console.log(`  round ${round} of ${ROUNDS} measured`)
  }

  console.log('')
  console.log(formatLatencies(results))
  console.log(
    `1-minute load average ${loadBefore} before measuring, ${loadavg()[0]!.toFixed(2)} after, ` +
      `on ${availableParallelism()} cores`,
  )
} finally {
  await db.destroy()
  if (!keep) await dropDatabase(benchUrl)
}

