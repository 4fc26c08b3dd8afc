import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js'
import { createTestApp } from '../testing/test-app.js'

interface Parameter {
  name: string
  in: string
  required: boolean
  schema: Record<string, unknown>
}
type Operation = { parameters: Parameter[]; security: unknown[]; responses: object }
interface Document {
  openapi: string
  paths: Record<string, { get: Operation }>
  components: { schemas: Record<string, unknown> }
}

describe('GET /api/v1/openapi.json and /docs', () => {
  let database: TestDatabase
  let app: ReturnType<typeof createTestApp>['app']
  let document: Document

  beforeAll(async () => {
    database = await createTestDatabase('api_openapi')
    app = createTestApp(database, { API_MAX_PAGE_SIZE: '250', API_MAX_CAUSATION_DEPTH: '7' }).app
    const res = await app.request('/api/v1/openapi.json')
    expect(res.status).toBe(200)
    document = (await res.json()) as Document
  })

  afterAll(async () => {
    await database?.drop()
  })

  it('is OpenAPI 3.1 and lists every route, the projections and the stream included', () => {
    expect(document.openapi).toBe('3.1.0')
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/api/v1/events',
        '/api/v1/events/{id}',
        '/api/v1/events/{id}/raw',
        '/api/v1/events/{id}/descendants',
        '/api/v1/events/{id}/ancestors',
        '/api/v1/events/stream',
        '/api/v1/correlations/{id}',
        '/api/v1/stats',
        '/api/v1/workflows',
        '/api/v1/workflows/{id}/state',
        '/api/v1/workflows/{id}/timeline',
        '/api/v1/agents',
        '/api/v1/agents/{session_id}',
        '/api/v1/agents/{session_id}/events',
        '/api/v1/openapi.json',
        '/health',
        '/ready',
        '/metrics',
        '/docs',
      ].sort(),
    )
  })

  it('describes /events from the schema that validates it, with configured limits', () => {
    const parameters = document.paths['/api/v1/events']!.get.parameters
    const byName = Object.fromEntries(parameters.map((p) => [p.name, p]))

    expect(Object.keys(byName).sort()).toEqual(
      [
        'workflow_id',
        'correlation_id',
        'event_type',
        'routing_key',
        'agent',
        'session_id',
        'source',
        'start_time',
        'end_time',
        'since',
        'until',
        'limit',
        'offset',
        'after',
        'order',
      ].sort(),
    )
    expect(byName.limit!.schema).toMatchObject({ type: 'integer', maximum: 250, default: 100 })
    expect(byName.order!.schema).toMatchObject({ enum: ['asc', 'desc'], default: 'desc' })
    expect(byName.start_time!.schema).toMatchObject({ type: 'string', format: 'date-time' })
    expect(parameters.every((p) => p.in === 'query' && !p.required)).toBe(true)

    const depth = document.paths['/api/v1/events/{id}/descendants']!.get.parameters
    expect(depth.find((p) => p.name === 'max_depth')!.schema).toMatchObject({ maximum: 7 })
  })

  it('asks for a token under the prefix and for none at the root', () => {
    expect(document.paths['/api/v1/events']!.get.security).toEqual([{ bearerAuth: [] }])
    expect(document.paths['/health']!.get.security).toEqual([])
    expect(document.paths['/docs']!.get.security).toEqual([])
  })

  it('only refers to schemas it defines', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)]

    expect(refs.length).toBeGreaterThan(0)
    for (const [, name] of refs) expect(document.components.schemas).toHaveProperty(name!)
  })

  it('renders /docs as a self-contained HTML page of every route', async () => {
    const res = await app.request('/docs')
    const html = await res.text()

    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    for (const path of Object.keys(document.paths)) expect(html).toContain(path)
    expect(html).not.toMatch(/<script|<link|src="|href="https?:/i)
  })
})
