import { ServerResponse, type IncomingMessage, type Server } from 'node:http'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'

import { createDatabase, createPool } from '@historian/db'
import { WebSocketServer, type WebSocket } from 'ws'

import type { ApiDeps } from '../deps.js'
import { ApiError } from '../http/api-error.js'
import { isAuthorized } from '../http/auth.js'
import { ClientSession } from './client-session.js'
import { Doorbell, LISTENER_APPLICATION_NAME } from './doorbell.js'
import { DEFAULT_POLL_INTERVAL_MS, DEFAULT_READ_TIMEOUT_MS, EventFeed } from './event-feed.js'
import { Fanout } from './fanout.js'
import { rejectUpgrade } from './reject-upgrade.js'
import { replayThenGoLive } from './replay.js'
import { parseStreamRequest, type StreamRequest } from './stream-request.js'
import { createStreamMetrics } from './stream-metrics.js'

const MiB = 1024 * 1024

/** One read of the live feed: enough for a busy second, bounded in memory. */
const FEED_PAGE = { limit: 1000, maxBytes: 8 * MiB }
/**
 * One page of a replay, within half a client's buffer budget; the next page is read once the
 * client has taken all but a quarter of that budget.
 */
const REPLAY_PAGE_ROWS = 500
const REPLAY_PAGE_MAX_BYTES = 4 * MiB
/** Clients send only `ping`; anything much larger is a mistake. */
const MAX_CLIENT_MESSAGE_BYTES = 4096
const SHUTDOWN_GRACE_MS = 2_000

export interface StreamOptions {
  /** The slow poll that covers lost doorbells. */
  pollIntervalMs?: number
  /** application_name of the LISTEN connection. */
  listenerName?: string
  /** How long a read of new events may take before its connection is given up. */
  readTimeoutMs?: number
}

export interface StreamServer {
  /** Resolves once the feed knows the live head and connections are accepted. */
  ready: Promise<void>
  /** Closes every client with 1001 and stops listening. */
  close: () => Promise<void>
}

/**
 * Serves `WS <API_PREFIX>/events/stream` on the API's HTTP server (DESIGN section 7). Token and
 * filters are checked on the upgrade request, so a refusal is an ordinary HTTP 401 or 400.
 */
export function attachStream(
  server: Server,
  deps: ApiDeps,
  options: StreamOptions = {},
): StreamServer {
  const { config } = deps
  const logger = deps.logger.child({ component: 'api.stream' })
  const path = `${config.API_PREFIX}/events/stream`

  const fanout = new Fanout(logger)
  const metrics = createStreamMetrics(deps.registry, () => fanout.size)
  const feed = new EventFeed({
    openDatabase: () => {
      const pool = createPool(config.DATABASE_URL, {
        max: 1,
        applicationName: 'historian-api-feed',
      })
      pool.on('error', (err) => logger.warn({ err }, 'feed connection lost'))
      return createDatabase(pool)
    },
    readTimeoutMs: options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
    fanout,
    page: FEED_PAGE,
    pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    metrics,
    logger: deps.logger.child({ component: 'api.stream.feed' }),
  })
  const doorbell = new Doorbell({
    connectionString: config.DATABASE_URL,
    applicationName: options.listenerName ?? LISTENER_APPLICATION_NAME,
    logger: deps.logger.child({ component: 'api.stream.doorbell' }),
    onRing: (position) => feed.ring(position),
    onListening: () => feed.ring(),
    onReconnect: () => metrics.listenReconnects.inc(),
  })
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_MESSAGE_BYTES,
    perMessageDeflate: false,
  })

  let closing = false
  let nextClientId = 1

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname !== path || req.headers.upgrade?.toLowerCase() !== 'websocket') {
      answerOverHttp(server, req, socket)
      return
    }

    let request: StreamRequest
    try {
      if (!isAuthorized(config, req.headers.authorization, url.searchParams.get('token'))) {
        metrics.refusedConnections.inc({ reason: 'unauthorized' })
        rejectUpgrade(socket, unauthorized(), { 'WWW-Authenticate': 'Bearer realm="historian"' })
        return
      }
      request = parseStreamRequest(url.searchParams)
      if (closing || feed.position === null) throw unavailable()
    } catch (error) {
      metrics.refusedConnections.inc({ reason: error instanceof ApiError ? error.code : 'error' })
      rejectUpgrade(socket, error)
      return
    }

    wss.handleUpgrade(req, socket, head, (ws) => open(ws, request))
  }

  function open(ws: WebSocket, request: StreamRequest): void {
    if (fanout.size >= config.WS_MAX_CONNECTIONS) {
      metrics.refusedConnections.inc({ reason: 'too_many_connections' })
      ws.close(1013, 'too many connections')
      return
    }

    const clientLogger = logger.child({ client: nextClientId++ })
    const session = new ClientSession({
      ws,
      filter: request.filter,
      start: request.from ?? (feed.position as bigint),
      maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
      metrics,
      logger: clientLogger,
    })
    fanout.add(session)
    void session.closed.then(() => fanout.delete(session))
    clientLogger.debug({ from: request.from?.toString() }, 'stream client connected')

    if (request.from === null) {
      session.goLive(false)
      return
    }
    replayThenGoLive(session, {
      db: deps.db,
      feed,
      page: {
        limit: REPLAY_PAGE_ROWS,
        maxBytes: Math.min(REPLAY_PAGE_MAX_BYTES, config.WS_MAX_BUFFERED_BYTES / 2),
      },
      lowWaterBytes: Math.min(MiB, config.WS_MAX_BUFFERED_BYTES / 4),
      metrics,
      logger: clientLogger,
    }).catch((err: unknown) => {
      clientLogger.warn({ err }, 'replay failed')
      session.fail('reading stored events failed; reconnect with from= to resume')
    })
  }

  const heartbeat = setInterval(() => {
    const now = new Date()
    for (const session of fanout.sessions) session.heartbeat(now)
  }, config.WS_HEARTBEAT_INTERVAL_SECONDS * 1000)

  server.on('upgrade', onUpgrade)
  doorbell.start()
  const ready = feed.start()

  return {
    ready,
    close: async () => {
      closing = true
      server.off('upgrade', onUpgrade)
      clearInterval(heartbeat)
      const feedClosed = feed.close()

      const sessions = [...fanout.sessions]
      for (const session of sessions) session.close(1001, 'server shutting down')
      let grace: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.all(sessions.map((session) => session.closed)),
        new Promise((resolve) => (grace = setTimeout(resolve, SHUTDOWN_GRACE_MS))),
      ])
      clearTimeout(grace)
      for (const session of fanout.sessions) session.terminate()

      wss.close()
      await doorbell.close()
      await feedClosed
    },
  }
}

/**
 * Node hands every request with an `Upgrade` header to the upgrade listener once there is one;
 * requests that are not for the stream (an `h2c` probe, say) still deserve the normal answer.
 */
function answerOverHttp(server: Server, req: IncomingMessage, socket: Duplex): void {
  const res = new ServerResponse(req)
  res.shouldKeepAlive = false
  res.assignSocket(socket as Socket)
  res.once('finish', () => socket.end())
  server.emit('request', req, res)
}

function unauthorized(): ApiError {
  return new ApiError(
    401,
    'unauthorized',
    'a valid "Authorization: Bearer <token>" header or token parameter is required',
  )
}

function unavailable(): ApiError {
  return new ApiError(503, 'stream_unavailable', 'the stream is not ready; try again shortly')
}
