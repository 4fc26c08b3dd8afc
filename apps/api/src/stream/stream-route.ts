import { Hono } from 'hono'

/**
 * `GET /events/stream` without a WebSocket upgrade (upgrades never reach Hono; see
 * `attachStream`): says how to connect instead of answering a bare 404.
 */
export function streamRoutes(): Hono {
  const app = new Hono()

  app.get('/events/stream', (c) => {
    const problem = {
      type: 'about:blank',
      title: 'Upgrade Required',
      status: 426,
      code: 'upgrade_required',
      detail: 'the live stream is a WebSocket: connect with Upgrade: websocket',
    }
    return c.body(JSON.stringify(problem), 426, {
      'content-type': 'application/problem+json',
      upgrade: 'websocket',
    })
  })

  return app
}
