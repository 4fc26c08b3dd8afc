import net from 'node:net'
import type { AddressInfo } from 'node:net'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createUnreachableApp } from '../testing/test-app.js'
import { READY_TIMEOUT_MS } from './health.js'

describe('GET /ready', () => {
  let stalled: net.Server
  const sockets: net.Socket[] = []
  let unreachable: ReturnType<typeof createUnreachableApp>

  beforeAll(async () => {
    // A database that accepts connections and never answers: no error, no timeout of its own.
    stalled = net.createServer((socket) => {
      sockets.push(socket)
      socket.on('error', () => undefined)
    })
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve))
    const { port } = stalled.address() as AddressInfo
    unreachable = createUnreachableApp(port, { connectionTimeoutMillis: 60_000 })
  })

  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    stalled?.close()
    await unreachable?.close()
  })

  it('answers 503 within its timeout when the database connection stalls', async () => {
    const started = performance.now()

    const [first, second] = await Promise.all([
      unreachable.app.request('/ready'),
      unreachable.app.request('/ready'),
    ])

    const elapsedMs = performance.now() - started
    expect(first.status).toBe(503)
    expect(second.status).toBe(503)
    expect(await first.json()).toEqual({ status: 'unavailable', database: 'unreachable' })
    expect(elapsedMs).toBeGreaterThanOrEqual(READY_TIMEOUT_MS - 50)
    expect(elapsedMs).toBeLessThan(READY_TIMEOUT_MS + 1000)
  })
})
