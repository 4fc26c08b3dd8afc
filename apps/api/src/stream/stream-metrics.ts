import { Counter, Gauge, Histogram, type Registry } from 'prom-client'

/** The stream's Prometheus metrics (DESIGN section 9), registered on the API's registry. */
export interface StreamMetrics {
  framesSent: Counter<'type'>
  slowClientCloses: Counter
  refusedConnections: Counter<'reason'>
  replaySeconds: Histogram
  commitToFrameSeconds: Histogram
  feedReads: Counter
  listenReconnects: Counter
}

export function createStreamMetrics(registry: Registry, clients: () => number): StreamMetrics {
  const registers = [registry]

  new Gauge({
    name: 'historian_ws_clients',
    help: 'WebSocket stream clients connected',
    registers,
    collect() {
      this.set(clients())
    },
  })

  return {
    framesSent: new Counter({
      name: 'historian_ws_frames_sent_total',
      help: 'Frames handed to WebSocket clients, by frame type',
      labelNames: ['type'],
      registers,
    }),
    slowClientCloses: new Counter({
      name: 'historian_ws_slow_client_closes_total',
      help: 'Clients closed with 4008 because they fell behind WS_MAX_BUFFERED_BYTES',
      registers,
    }),
    refusedConnections: new Counter({
      name: 'historian_ws_refused_connections_total',
      help: 'Stream connections refused, by reason',
      labelNames: ['reason'],
      registers,
    }),
    replaySeconds: new Histogram({
      name: 'historian_ws_replay_duration_seconds',
      help: 'Time from a from= connection to its caught_up frame',
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers,
    }),
    commitToFrameSeconds: new Histogram({
      name: 'historian_ws_commit_to_frame_seconds',
      help:
        'Time from the doorbell (NOTIFY, delivered at commit) reaching this process to the ' +
        "event's frame being handed to the last live client's socket",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    feedReads: new Counter({
      name: 'historian_ws_feed_reads_total',
      help: 'Reads of new events by the live feed (doorbells coalesce into reads)',
      registers,
    }),
    listenReconnects: new Counter({
      name: 'historian_ws_listen_reconnects_total',
      help: 'Times the LISTEN connection was lost and opened again',
      registers,
    }),
  }
}
