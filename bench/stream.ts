import { fork, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'

import amqp from 'amqplib'

import { loadConfig } from '@historian/config'
import { createClient, dropDatabase, migrateUp, withDatabase } from '@historian/db'
import { EVENTS_CHANNEL } from '@historian/queries'

import { buildApps } from '../scripts/build.js'
import { generateMessages } from '../scripts/lib/generate-events.js'
import { deleteTopology } from '../test/support/delete-topology.js'
import { startApi, startIngest, type RunningProcess } from '../test/support/processes.js'
import type { ClientRecord } from './stream/stream-clients.js'

/**
 * `pnpm bench:stream [seconds] [eventsPerSecond] [clients]`: publishes the realistic mix at a
 * steady rate through the real pipeline (RabbitMQ -> ingest process -> PostgreSQL -> API
 * process -> WebSocket clients) and measures commit-to-frame latency and frames lost.
 *
 * "Commit" is when the bench's own LISTEN connection receives the ingest's doorbell: PostgreSQL
 * delivers a NOTIFY when its transaction commits, so that is the moment the event became
 * readable, seen from this machine's clock. An event's commit time is that of the first
 * doorbell at or above its position. Frames are timed where the clients receive them.
 *
 * Everything runs against the local services in a database, exchange and queues of its own,
 * created and dropped by the bench. Prints p50/p99 latency and frames lost (which must be 0).
 */
const seconds = Number(process.argv[2] ?? 20)
const rate = Number(process.argv[3] ?? 1000)
const clientCount = Number(process.argv[4] ?? 100)

/** Published before the measured window and left out of the latency: JIT, pools, TCP windows. */
const WARM_UP_SECONDS = 3
/** The clients' own work is spread over both cores, so it does not queue frames it has not read. */
const CLIENT_PROCESSES = 2

const base = loadConfig()
const suffix = randomBytes(4).toString('hex')
const databaseName = `historian_bench_stream_${suffix}`
const benchUrl = withDatabase(base.DATABASE_URL, databaseName)
const names = {
  exchange: `bench.stream.${suffix}`,
  queue: `bench.stream.queue.${suffix}`,
  dlq: `bench.stream.dlq.${suffix}`,
}

const connection = await amqp.connect(base.RABBITMQ_URL)
const channel = await connection.createConfirmChannel()
const processes: RunningProcess[] = []

try {
  await buildApps()
  await migrateUp(benchUrl)
  await channel.assertExchange(names.exchange, 'topic', { durable: true })
  const ingest = await startIngest({
    env: {
      DATABASE_URL: benchUrl,
      RABBITMQ_URL: base.RABBITMQ_URL,
      BLOODBANK_EXCHANGE: names.exchange,
      EVENT_STORE_MANAGER_QUEUE: names.queue,
      EVENT_STORE_MANAGER_DLQ: names.dlq,
      LOG_LEVEL: 'warn',
    },
  })
  processes.push(ingest)
  const api = await startApi({
    env: { DATABASE_URL: benchUrl, API_TOKENS: '', LOG_LEVEL: 'warn' },
  })
  processes.push(api)

  const doorbells = await listen()
  const url = `ws://127.0.0.1:${api.port}/api/v1/events/stream`
  const clients = await Promise.all(
    splitEvenly(clientCount, CLIENT_PROCESSES).map((count) => startClients(url, count)),
  )
  console.log(
    `stream bench: ${clientCount} clients, ${rate} events/s for ${seconds} s ` +
      `after a ${WARM_UP_SECONDS} s warm-up ` +
      '(RabbitMQ -> ingest -> PostgreSQL -> API -> clients)',
  )

  const measuredFrom = performance.timeOrigin + performance.now() + WARM_UP_SECONDS * 1000
  const published = await publishSteadily(WARM_UP_SECONDS + seconds)
  const stored = await waitForStored(published)
  const records = (
    await Promise.all(clients.map((child) => finish(child, stored.at(-1) ?? 0)))
  ).flat()
  await doorbells.client.end()
  report(published, stored, records, doorbells.log, measuredFrom)
  console.log(await serverSideLatency(api))
  if (stored.length < published) {
    console.log(`ingest output:\n${ingest.output().slice(-3000)}`)
    console.log(`api output:\n${api.output().slice(-3000)}`)
  }
} finally {
  await Promise.all(processes.map((running) => running.stop()))
  await deleteTopology(channel, names)
  await connection.close()
  await dropDatabase(benchUrl)
}

/** The doorbells as they arrive: position and arrival time, in commit order. */
async function listen() {
  const log: Array<{ position: number; at: number }> = []
  const client = createClient(benchUrl, 'historian-bench-stream')
  client.on('error', () => undefined)
  client.on('notification', (message) => {
    log.push({ position: Number(message.payload), at: performance.timeOrigin + performance.now() })
  })
  await client.connect()
  await client.query(`LISTEN ${EVENTS_CHANNEL}`)
  return { client, log }
}

async function startClients(url: string, count: number): Promise<ChildProcess> {
  const entry = fileURLToPath(new URL('./stream/stream-clients.ts', import.meta.url))
  const clients = fork(entry, [url, String(count)], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
  })
  await new Promise<void>((resolve, reject) => {
    clients.once('error', reject)
    clients.once('exit', (code) => reject(new Error(`stream clients exited with ${code}`)))
    clients.once('message', () => resolve())
  })
  return clients
}

/** Publishes on a 10 ms tick, catching up to `rate` per second of elapsed time. */
async function publishSteadily(duration: number): Promise<number> {
  const total = duration * rate
  const messages = generateMessages(total, 7)
  const started = performance.now()
  let sent = 0

  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate))
    for (; sent < due; sent++) {
      const message = messages.next().value!
      channel.publish(names.exchange, message.routingKey, message.body, {
        contentType: 'application/json',
        deliveryMode: 2,
        messageId: message.messageId,
      })
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  await channel.waitForConfirms()
  return sent
}

async function waitForStored(count: number): Promise<number[]> {
  const client = createClient(benchUrl)
  await client.connect()
  try {
    const deadline = Date.now() + 60_000
    for (;;) {
      const result = await client.query<{ position: string }>(
        'SELECT position FROM events ORDER BY position',
      )
      if (result.rows.length >= count || Date.now() > deadline) {
        return result.rows.map((row) => Number(row.position))
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  } finally {
    await client.end()
  }
}

async function finish(clients: ChildProcess, lastPosition: number): Promise<ClientRecord[]> {
  const result = new Promise<ClientRecord[]>((resolve) => {
    clients.on('message', (message: { type: string; records: ClientRecord[] }) => {
      if (message.type === 'result') resolve(message.records)
    })
  })
  clients.send({ lastPosition, timeoutMs: 15_000 })
  return result
}

function report(
  published: number,
  stored: number[],
  records: ClientRecord[],
  doorbells: Array<{ position: number; at: number }>,
  measuredFrom: number,
): void {
  const expected = new Set(stored)
  const latencies: number[] = []
  let lost = 0
  let duplicates = 0
  let unexpected = 0

  for (const record of records) {
    const seen = new Set<number>()
    for (let i = 0; i < record.positions.length; i++) {
      const position = record.positions[i]!
      if (seen.has(position)) duplicates++
      else if (!expected.has(position)) unexpected++
      seen.add(position)

      const committed = commitTime(doorbells, position)
      if (committed !== undefined && committed >= measuredFrom) {
        latencies.push(record.times[i]! - committed)
      }
    }
    lost += stored.filter((position) => !seen.has(position)).length
  }

  latencies.sort((a, b) => a - b)
  const at = (q: number) => latencies[Math.floor(q * (latencies.length - 1))]
  const ms = (value: number | undefined) => `${(value ?? Number.NaN).toFixed(1)} ms`

  console.log(`published ${published}, stored ${stored.length}, doorbells ${doorbells.length}`)
  console.log(
    `frames expected ${stored.length * records.length}, ` +
      `received ${records.reduce((sum, r) => sum + r.positions.length, 0)}`,
  )
  console.log(
    `commit-to-frame latency: p50 ${ms(at(0.5))}, p99 ${ms(at(0.99))}, ` +
      `max ${ms(latencies.at(-1))} (${latencies.length} frames)`,
  )
  console.log(`frames lost: ${lost} (duplicates ${duplicates}, unexpected ${unexpected})`)
  if (published !== stored.length || lost > 0 || duplicates > 0) process.exitCode = 1
}

/**
 * The API's own view from its histogram (doorbell received to frame written to the last
 * socket), for the whole run: the bucket bounds that p50 and p99 fall under.
 */
async function serverSideLatency(api: RunningProcess): Promise<string> {
  const text = await (await fetch(`${api.url}/metrics`)).text()
  const pattern = /^historian_ws_commit_to_frame_seconds_bucket\{le="([^"]+)"\} (\d+)/gm
  const buckets = [...text.matchAll(pattern)].map((match) => ({
    le: match[1] as string,
    count: Number(match[2]),
  }))
  const total = buckets.at(-1)?.count ?? 0
  const under = (q: number) => {
    const bucket = buckets.find((b) => b.count >= q * total)
    return bucket?.le === '+Inf' ? 'over 2.5 s' : `<= ${Number(bucket?.le) * 1000} ms`
  }
  return (
    'API side, doorbell to last socket write (whole run, from its histogram): ' +
    `p50 ${under(0.5)}, p99 ${under(0.99)}`
  )
}

/** Arrival of the first doorbell at or above `position`; doorbells come in position order. */
function commitTime(
  doorbells: Array<{ position: number; at: number }>,
  position: number,
): number | undefined {
  let low = 0
  let high = doorbells.length
  while (low < high) {
    const middle = (low + high) >> 1
    if (doorbells[middle]!.position < position) low = middle + 1
    else high = middle
  }
  return doorbells[low]?.at
}

function splitEvenly(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor((total + i) / parts))
}
