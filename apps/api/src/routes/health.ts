import { sql } from 'kysely'
import { Hono } from 'hono'

import type { ApiDeps } from '../deps.js'

/**
 * How long `/ready` waits for the database. A stalled connection (accepted, never answered)
 * neither fails nor times out on its own, and a probe that hangs tells an orchestrator nothing.
 */
export const READY_TIMEOUT_MS = 2_000

/** `/health` says the process is alive; `/ready` also proves the database answers. */
export function healthRoutes(deps: ApiDeps): Hono {
  const app = new Hono()
  // Probes that arrive while one is still waiting share it, so a stalled database holds at
  // most one pool connection for readiness however often it is asked.
  let probe: Promise<boolean> | null = null

  app.get('/health', (c) => c.json({ status: 'ok' }))

  app.get('/ready', async (c) => {
    probe ??= databaseAnswers(deps).finally(() => (probe = null))
    const answered = await withinMs(probe, READY_TIMEOUT_MS)

    if (answered) return c.json({ status: 'ready', database: 'ok' })
    return c.json({ status: 'unavailable', database: 'unreachable' }, 503)
  })

  app.get('/metrics', async (c) => {
    return c.body(await deps.registry.metrics(), 200, {
      'content-type': deps.registry.contentType,
    })
  })

  return app
}

async function databaseAnswers(deps: ApiDeps): Promise<boolean> {
  try {
    await sql`SELECT 1`.execute(deps.db)
    return true
  } catch {
    return false
  }
}

/** The probe's answer, or false once `ms` have passed without one. */
async function withinMs(probe: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ms, false)))
  try {
    return await Promise.race([probe, timeout])
  } finally {
    clearTimeout(timer)
  }
}
