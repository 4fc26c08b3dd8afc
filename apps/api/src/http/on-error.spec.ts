import { Hono } from 'hono'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { freePort } from '../../../../test/support/free-port.js'
import { createUnreachableApp } from '../testing/test-app.js'
import { createErrorHandler } from './on-error.js'

interface LogLine {
  level: number
  msg: string
  err?: { stack?: string }
  cause?: { code?: string; message?: string }
}

const WARN = 40
const ERROR = 50

/** A pino logger that keeps its lines, parsed. */
function capturingLogger() {
  const lines: LogLine[] = []
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) })
  return { logger, lines }
}

describe('logging of failed requests', () => {
  let unreachable: ReturnType<typeof createUnreachableApp>
  const captured = capturingLogger()

  beforeAll(async () => {
    unreachable = createUnreachableApp(await freePort(), { logger: captured.logger })
  })

  afterAll(async () => {
    await unreachable?.close()
  })

  it('logs a 503 at warn, once per request, without a stack', async () => {
    captured.lines.length = 0

    const res = await unreachable.app.request('/api/v1/events')

    expect(res.status).toBe(503)
    expect(captured.lines).toHaveLength(1)
    const [line] = captured.lines as [LogLine]
    expect(line).toMatchObject({ level: WARN, msg: 'database unavailable' })
    expect(line.cause).toMatchObject({ code: 'ECONNREFUSED' })
    expect(JSON.stringify(line)).not.toMatch(/stack|\.js:\d+/)
  })

  it('still logs a 500 at error with the stack', async () => {
    const { logger, lines } = capturingLogger()
    const app = new Hono()
    app.onError(createErrorHandler(logger))
    app.get('/boom', () => {
      throw new Error('boom')
    })

    const res = await app.request('/boom')

    expect(res.status).toBe(500)
    expect(await res.text()).not.toContain('boom')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: ERROR, msg: 'request failed' })
    expect(lines[0]?.err?.stack).toMatch(/boom/)
  })
})
