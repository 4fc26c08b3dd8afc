import type { Server } from 'node:http'

import { serve } from '@hono/node-server'
import { createLogger, loadConfigOrExit, redactUrl } from '@historian/config'
import { createDatabase, createPool } from '@historian/db'
import { collectDefaultMetrics, Registry } from 'prom-client'

import { createApp } from './app.js'
import type { ApiDeps } from './deps.js'
import { attachStream } from './stream/stream-server.js'

const config = loadConfigOrExit()
const logger = createLogger(config, 'historian-api')
const log = logger.child({ component: 'api.main' })

const pool = createPool(config.DATABASE_URL, { max: 20, applicationName: 'historian-api' })
// An idle client that loses its server emits 'error' on the pool; without a listener the
// process would crash. The next query reconnects.
pool.on('error', (err) => log.warn({ err }, 'idle database connection lost'))

const registry = new Registry()
collectDefaultMetrics({ register: registry })

const deps: ApiDeps = { config, pool, db: createDatabase(pool), logger, registry }
const app = createApp(deps)

if (config.API_TOKENS.length === 0) {
  log.warn('API_TOKENS is not set: every route is readable without a token')
}

const address = { hostname: config.EVENT_STORE_MANAGER_HOST, port: config.EVENT_STORE_MANAGER_PORT }
const server = serve(
  { fetch: app.fetch, ...address },
  (info) => {
    log.info(
      { host: info.address, port: info.port, database: redactUrl(config.DATABASE_URL) },
      'api listening',
    )
  },
)
// A port that is taken is a configuration problem: one clear line, not a stack trace.
server.on('error', (err: NodeJS.ErrnoException) => {
  log.fatal({ code: err.code, ...address }, `cannot listen: ${err.message}`)
  process.exit(1)
})
// serve() without a createServer option makes a node:http server.
const stream = attachStream(server as Server, deps)

let stopping = false
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  log.info({ signal }, 'api shutting down')

  await stream.close()
  server.close()
  await deps.db.destroy().catch(() => undefined)
  process.exit(0)
}

process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
