import http from 'node:http'

import type { Registry } from 'prom-client'

import type { IngestStatus } from '../ingest.js'

/**
 * `GET /health` (is it consuming, when did it last commit) and `GET /metrics` on `INGEST_PORT`.
 * Health answers 503 while the broker is disconnected or writes are failing, so an orchestrator
 * can see a stuck replica; the body says which.
 */
export function createHealthServer(status: () => IngestStatus, registry: Registry): http.Server {
  return http.createServer((req, res) => {
    void handle(req, res).catch(() => {
      res.writeHead(500).end()
    })
  })

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end()
      return
    }

    if (path === '/health') {
      const current = status()
      const healthy = current.connected && current.writing === 'ok'
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ status: healthy ? 'ok' : 'degraded', ...current }))
      return
    }

    if (path === '/metrics') {
      const body = await registry.metrics()
      res.writeHead(200, { 'content-type': registry.contentType }).end(body)
      return
    }

    res.writeHead(404, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ status: 404, detail: 'not found' }))
  }
}
