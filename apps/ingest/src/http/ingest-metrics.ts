import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** Every Prometheus series the ingest exports (DESIGN section 9). */
export function createIngestMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })

  return {
    registry,
    received: new Counter({
      name: 'historian_ingest_messages_received_total',
      help: 'Messages delivered by the broker',
      registers: [registry],
    }),
    stored: new Counter({
      name: 'historian_ingest_events_stored_total',
      help: 'Events inserted for the first time',
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'historian_ingest_duplicates_total',
      help: 'Messages whose event was already stored',
      registers: [registry],
    }),
    acked: new Counter({
      name: 'historian_ingest_messages_acked_total',
      help: 'Messages acknowledged to the broker after their batch committed',
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'historian_ingest_dead_lettered_total',
      help: 'Messages refused and published to the dead-letter queue, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'historian_ingest_batch_size',
      help: 'Messages per committed batch',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2000],
      registers: [registry],
    }),
    commitSeconds: new Histogram({
      name: 'historian_ingest_commit_duration_seconds',
      help: 'Time to write and commit one batch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    lagSeconds: new Histogram({
      name: 'historian_ingest_lag_seconds',
      help: 'From delivery by the broker to acknowledgement after commit',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'historian_ingest_queue_messages',
      help: 'Messages waiting in the queue, sampled every few seconds',
      registers: [registry],
    }),
    writeRetries: new Counter({
      name: 'historian_ingest_write_retries_total',
      help: 'Batch writes retried after a transient database error',
      registers: [registry],
    }),
  }
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>
