import { createLogger, loadConfigOrExit, redactUrl } from '@historian/config'
import { createDatabase, createPool } from '@historian/db'

import { createHealthServer } from './http/health-server.js'
import { createIngestMetrics } from './http/ingest-metrics.js'
import { Ingest } from './ingest.js'
import { BatchWriter } from './persist/batch-writer.js'
import { projectAppended } from './persist/project-appended.js'

const config = loadConfigOrExit()
const logger = createLogger(config, 'historian-ingest')
const log = logger.child({ component: 'ingest.main' })

// Two batches in flight, each in its own transaction. A batch is never idle in its transaction
// for long; one that is has a frozen writer behind it, holding back every reader (migration 0007).
const pool = createPool(config.DATABASE_URL, {
  max: 2,
  applicationName: 'historian-ingest',
  idleInTransactionTimeoutMs: 10_000,
})
pool.on('error', (err) => log.warn({ err }, 'idle database connection lost'))

const metrics = createIngestMetrics()
const writer = new BatchWriter(createDatabase(pool), projectAppended)
const ingest = new Ingest({ config, logger, metrics, writer })

const health = createHealthServer(() => ingest.status(), metrics.registry)
health.on('error', (err: NodeJS.ErrnoException) => {
  log.fatal({ code: err.code, port: config.INGEST_PORT }, `cannot listen: ${err.message}`)
  process.exit(1)
})
health.listen(config.INGEST_PORT, config.EVENT_STORE_MANAGER_HOST, () => {
  log.info(
    {
      port: config.INGEST_PORT,
      exchange: config.BLOODBANK_EXCHANGE,
      queue: config.EVENT_STORE_MANAGER_QUEUE,
      broker: redactUrl(config.RABBITMQ_URL),
      database: redactUrl(config.DATABASE_URL),
    },
    'ingest starting',
  )
})

let stopping = false
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  log.info({ signal }, 'ingest shutting down')

  await ingest.stop()
  health.close()
  await pool.end().catch(() => undefined)
  log.info('ingest stopped')
  process.exit(0)
}

process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))

await ingest.start()
