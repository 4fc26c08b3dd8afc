import { readFileSync } from 'node:fs'

import amqp from 'amqplib'
import { sql } from 'kysely'

import { loadConfig } from '@historian/config'
import {
  createDatabase,
  createPool,
  dropDatabase,
  migrateUp,
  withDatabase,
} from '@historian/db'
import { decode } from '@historian/envelope'

import { generateMessages } from '../scripts/lib/generate-events.js'
import { buildApps } from '../scripts/build.js'
import { deleteTopology } from '../test/support/delete-topology.js'
import { startIngest } from '../test/support/processes.js'

/**
 * `pnpm bench:ingest [N] [naiveN]`: fills a queue with N realistic events before the clock
 * starts, then measures the real ingest process from queue to committed and acknowledged, and a
 * naive consumer (one transaction per message, prefetch 10) on naiveN events in the same run.
 * Everything runs against the local services in a database and queues of its own.
 */
const total = Number(process.argv[2] ?? 200_000)
const naiveTotal = Number(process.argv[3] ?? 10_000)
const base = loadConfig()
const benchUrl = withDatabase(base.DATABASE_URL, 'historian_bench_ingest')
const names = {
  exchange: 'bench.ingest.exchange',
  queue: 'bench.ingest.queue',
  naiveQueue: 'bench.ingest.naive',
  dlq: 'bench.ingest.dlq',
}

const connection = await amqp.connect(base.RABBITMQ_URL)
const channel = await connection.createConfirmChannel()

try {
  await resetDatabase()
  await resetQueues()

  console.log(`filling ${names.queue} with ${total.toLocaleString()} events ...`)
  const fillBytes = await fill(names.queue, total)
  console.log(`queued ${total.toLocaleString()} events, ${(fillBytes / 2 ** 20).toFixed(0)} MiB`)

  // The broker writes a persistent backlog to disk in the background for a while after the
  // last confirm; let it finish so that the clock measures the ingest, not the fill.
  await settle()
  const ingest = await measureIngest()
  console.log(`filling ${names.naiveQueue} with ${naiveTotal.toLocaleString()} events ...`)
  await resetDatabase()
  await fill(names.naiveQueue, naiveTotal, 7)
  const naive = await measureNaive()

  console.log('')
  console.log(`ingest:  ${total} events in ${ingest.seconds.toFixed(2)} s = ` +
    `${Math.round(ingest.rate).toLocaleString()} events/s (batch ${base.INGEST_BATCH_SIZE}, ` +
    `prefetch ${base.INGEST_PREFETCH})`)
  console.log(`naive:   ${naiveTotal} events in ${naive.seconds.toFixed(2)} s = ` +
    `${Math.round(naive.rate).toLocaleString()} events/s ` +
    '(one transaction per message, prefetch 10)')
  console.log(`ratio:   ${(ingest.rate / naive.rate).toFixed(1)}x`)
  console.log(`ingest peak resident memory: ${(ingest.peakRssKb / 1024).toFixed(0)} MB ` +
    `(backlog of ${total.toLocaleString()} waiting in the queue at start)`)
} finally {
  await deleteTopology(channel, names)
  await channel.deleteQueue(names.naiveQueue).catch(() => undefined)
  await connection.close()
  await dropDatabase(benchUrl)
}

async function measureIngest() {
  await buildApps()
  const ingest = await startIngest({
    env: {
      DATABASE_URL: benchUrl,
      RABBITMQ_URL: base.RABBITMQ_URL,
      BLOODBANK_EXCHANGE: names.exchange,
      EVENT_STORE_MANAGER_QUEUE: names.queue,
      EVENT_STORE_MANAGER_DLQ: names.dlq,
      LOG_LEVEL: 'warn',
    },
    waitFor: 'listening',
  })
  const pid = ingest.child.pid!

  // The clock starts once the process is up (its code loaded), when it begins to consume.
  const started = performance.now()
  let acked = 0
  while (acked < total) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    acked = await ackedSoFar(ingest.url)
  }
  const seconds = (performance.now() - started) / 1000
  const peakRssKb = peakRss(pid)
  await ingest.stop()
  return { seconds, rate: total / seconds, peakRssKb }
}

/** Waits until the machine is idle again (1-second CPU samples from /proc/stat), up to 60 s. */
async function settle(): Promise<void> {
  const busy = () => {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/)
    const numbers = fields.map(Number)
    const idle = numbers[3]! + numbers[4]!
    return { idle, total: numbers.reduce((a, b) => a + b, 0) }
  }
  for (let i = 0; i < 60; i++) {
    const before = busy()
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const after = busy()
    const load = 1 - (after.idle - before.idle) / (after.total - before.total)
    if (load < 0.15) return
  }
}

async function ackedSoFar(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith('historian_ingest_messages_acked_total'))
  return Number(line?.split(' ')[1] ?? 0)
}

/** VmHWM: the highest resident set size the process has had. */
function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
}

/** The baseline: decode, one INSERT in its own transaction, commit, acknowledge. */
async function measureNaive() {
  const pool = createPool(benchUrl, { max: 1 })
  const db = createDatabase(pool)
  const consumer = await connection.createChannel()
  await consumer.prefetch(10)
  const limits = { maxMessageBytes: base.INGEST_MAX_MESSAGE_BYTES, maxJsonDepth: 4096 }

  const started = performance.now()
  let done = 0
  await new Promise<void>((resolve, reject) => {
    let chain = Promise.resolve()
    void consumer.consume(names.naiveQueue, (message) => {
      if (!message) return
      chain = chain.then(async () => {
        const result = decode(
          {
            body: message.content,
            routingKey: message.fields.routingKey,
            exchange: message.fields.exchange,
            redelivered: message.fields.redelivered,
            receivedAt: new Date(),
          },
          limits,
        )
        if (!result.ok) throw new Error(result.detail)
        const e = result.event
        await db.transaction().execute((trx) =>
          trx
            .insertInto('events')
            .values({
              event_id: e.eventId,
              event_type: e.eventType,
              routing_key: e.routingKey,
              exchange: e.exchange,
              occurred_at: e.occurredAt,
              received_at: e.receivedAt.toISOString(),
              parent_ids: e.parentIds,
              correlation_id: e.correlationId,
              workflow_id: e.workflowId,
              session_id: e.sessionId,
              agent_name: e.agentName,
              source_app: e.sourceApp,
              format: e.format,
              flags: e.flags,
              body: e.body.toString('utf8'),
              amqp: JSON.stringify(e.amqp),
            })
            .onConflict((oc) => oc.column('event_id').doNothing())
            .execute(),
        )
        consumer.ack(message)
        if (++done === naiveTotal) resolve()
      }).catch(reject)
    })
  })
  const seconds = (performance.now() - started) / 1000
  await consumer.close()
  await db.destroy()
  return { seconds, rate: naiveTotal / seconds }
}

async function fill(queue: string, count: number, seed = 42): Promise<number> {
  let bytes = 0
  let sent = 0
  for (const message of generateMessages(count, seed)) {
    const ok = channel.sendToQueue(queue, message.body, {
      contentType: 'application/json',
      deliveryMode: 2,
      messageId: message.messageId,
      headers: undefined,
    })
    bytes += message.body.length
    if (!ok || ++sent % 5000 === 0) await channel.waitForConfirms()
  }
  await channel.waitForConfirms()
  return bytes
}

async function resetQueues(): Promise<void> {
  for (const queue of [names.queue, names.naiveQueue, names.dlq]) {
    await channel.deleteQueue(queue).catch(() => undefined)
  }
  await channel.assertExchange(names.exchange, 'topic', { durable: true })
  await channel.assertQueue(names.queue, { durable: true })
  await channel.bindQueue(names.queue, names.exchange, '#')
  await channel.assertQueue(names.naiveQueue, { durable: true })
}

async function resetDatabase(): Promise<void> {
  await dropDatabase(benchUrl)
  await migrateUp(benchUrl)
  const pool = createPool(benchUrl, { max: 1 })
  await sql`VACUUM ANALYZE`.execute(createDatabase(pool)).finally(() => pool.end())
}
