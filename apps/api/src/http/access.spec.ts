import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js'
import { freePort } from '../../../../test/support/free-port.js'
import { createTestApp, createUnreachableApp } from '../testing/test-app.js'

describe('access to the API', () => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase('api_access')
  })

  afterAll(async () => {
    await database?.drop()
  })

  describe('with API_TOKENS set', () => {
    const env = { API_TOKENS: 'alpha-token,beta-token', API_CORS_ORIGINS: 'https://dash.test' }
    const app = () => createTestApp(database, env).app

    it.each(['/api/v1/events', '/api/v1/stats', '/api/v1/openapi.json', '/api/v1/nowhere'])(
      'answers 401 problem+json without a token: %s',
      async (path) => {
        const res = await app().request(path)

        expect(res.status).toBe(401)
        expect(res.headers.get('content-type')).toBe('application/problem+json')
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/)
        expect(await res.json()).toMatchObject({ status: 401, code: 'unauthorized' })
      },
    )

    it('answers 401 for a token that is not configured', async () => {
      const res = await app().request('/api/v1/events', {
        headers: { authorization: 'Bearer gamma-token' },
      })

      expect(res.status).toBe(401)
    })

    it('serves a request that carries a configured token', async () => {
      for (const token of ['alpha-token', 'beta-token']) {
        const res = await app().request('/api/v1/events', {
          headers: { authorization: `Bearer ${token}` },
        })
        expect(res.status).toBe(200)
      }
    })

    it.each(['/health', '/ready', '/metrics', '/docs'])('needs no token for %s', async (path) => {
      expect((await app().request(path)).status).toBe(200)
    })

    it('answers a CORS preflight without a token', async () => {
      const res = await app().request('/api/v1/events', {
        method: 'OPTIONS',
        headers: {
          origin: 'https://dash.test',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      })

      expect(res.status).toBe(204)
      expect(res.headers.get('access-control-allow-origin')).toBe('https://dash.test')
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
        'authorization',
      )
    })
  })

  describe('CORS', () => {
    const env = { API_CORS_ORIGINS: 'https://dash.test, https://ops.test' }

    it('advertises only the read methods in a preflight', async () => {
      const { app } = createTestApp(database, env)

      const res = await app.request('/api/v1/events', {
        method: 'OPTIONS',
        headers: { origin: 'https://dash.test', 'access-control-request-method': 'GET' },
      })

      expect(res.headers.get('access-control-allow-methods')).toBe('GET,HEAD,OPTIONS')
    })

    it('allows a configured origin and lets it read the Link header', async () => {
      const { app } = createTestApp(database, env)

      const res = await app.request('/api/v1/events', { headers: { origin: 'https://ops.test' } })

      expect(res.status).toBe(200)
      expect(res.headers.get('access-control-allow-origin')).toBe('https://ops.test')
      expect(res.headers.get('access-control-expose-headers')).toContain('Link')
    })

    it('gives no CORS header to an origin that is not configured', async () => {
      const { app } = createTestApp(database, env)

      const res = await app.request('/api/v1/events', { headers: { origin: 'https://evil.test' } })

      expect(res.headers.get('access-control-allow-origin')).toBeNull()
    })

    it('gives no CORS header at all when API_CORS_ORIGINS is empty', async () => {
      const { app } = createTestApp(database)

      const res = await app.request('/api/v1/events', { headers: { origin: 'https://dash.test' } })

      expect(res.headers.get('access-control-allow-origin')).toBeNull()
    })
  })

  describe('methods other than GET', () => {
    it.each([
      ['POST', '/api/v1/events'],
      ['PUT', '/api/v1/events/some-id'],
      ['DELETE', '/api/v1/workflows/wf-1/state'],
      ['PATCH', '/health'],
    ])('answer %s %s with 405 and Allow instead of 404', async (method, path) => {
      const res = await createTestApp(database).app.request(path, { method })

      expect(res.status).toBe(405)
      expect(res.headers.get('allow')).toBe('GET, HEAD')
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(await res.json()).toMatchObject({ status: 405, code: 'method_not_allowed' })
    })

    it('still answers 404 for a path no route serves, whatever the method', async () => {
      const { app } = createTestApp(database)

      for (const method of ['GET', 'POST']) {
        expect((await app.request('/api/v1/nowhere', { method })).status).toBe(404)
      }
    })

    it('answers HEAD like GET', async () => {
      const res = await createTestApp(database).app.request('/health', { method: 'HEAD' })

      expect(res.status).toBe(200)
    })
  })

  describe('with the database down', () => {
    let unreachable: ReturnType<typeof createUnreachableApp>

    beforeAll(async () => {
      unreachable = createUnreachableApp(await freePort())
    })

    afterAll(async () => {
      await unreachable?.close()
    })

    it.each([
      '/api/v1/events',
      '/api/v1/events/wf-42',
      '/api/v1/events/wf-42/descendants',
      '/api/v1/correlations/chain-1',
      '/api/v1/stats',
    ])('answers 503 problem+json without a stack trace: %s', async (path) => {
      const res = await unreachable.app.request(path)

      expect(res.status).toBe(503)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      const text = await res.text()
      expect(JSON.parse(text)).toMatchObject({ status: 503, code: 'database_unavailable' })
      expect(text).not.toMatch(/ECONNREFUSED|\.ts:\d+|node_modules/)
    })

    it('still validates parameters first, with a 400', async () => {
      const res = await unreachable.app.request('/api/v1/events?limit=-1')

      expect(res.status).toBe(400)
    })
  })
})
