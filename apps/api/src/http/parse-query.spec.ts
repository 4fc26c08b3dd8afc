import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js'
import { createTestApp } from '../testing/test-app.js'

describe('query and path parameters', () => {
  let database: TestDatabase
  let app: ReturnType<typeof createTestApp>['app']

  const problem = async (path: string) => {
    const res = await app.request(`/api/v1${path}`)
    expect(res.status, path).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    return (await res.json()) as { code: string; param: string; detail: string }
  }

  beforeAll(async () => {
    database = await createTestDatabase('api_parameters')
    app = createTestApp(database, { API_MAX_PAGE_SIZE: '1000', API_MAX_CAUSATION_DEPTH: '20' }).app
  })

  afterAll(async () => {
    await database?.drop()
  })

  describe('a NUL byte answers 400 naming the parameter, not a database error 500', () => {
    it.each([
      ['/events?event_type=%00', 'event_type'],
      ['/events?routing_key=%00', 'routing_key'],
      ['/events?agent=%00', 'agent'],
      ['/events?correlation_id=a%00', 'correlation_id'],
      ['/events?workflow_id=%00', 'workflow_id'],
      ['/events?session_id=%00', 'session_id'],
      ['/events?source=%00', 'source'],
      ['/events?start_time=%00', 'start_time'],
      ['/workflows?status=%00', 'status'],
      ['/workflows?type=%00', 'type'],
      ['/agents?agent=%00', 'agent'],
      ['/stats?group_by=%00', 'group_by'],
      ['/correlations/chain-1?after=%00', 'after'],
      ['/correlations/%00', 'id'],
      ['/events/%00', 'id'],
      ['/events/a%00b/descendants', 'id'],
      ['/workflows/%00/timeline', 'id'],
      ['/agents/%00/events', 'session_id'],
    ])('%s', async (path, param) => {
      expect(await problem(path)).toMatchObject({ code: 'invalid_parameter', param })
    })
  })

  describe('integers take decimal digits only', () => {
    it.each(['0x10', '1e1', '0b11', '+3', '%201', '1%20', '1.0', '-0', ''])(
      'refuses limit=%s as not a whole number',
      async (value) => {
        expect(await problem(`/events?limit=${value}`)).toMatchObject({
          param: 'limit',
          detail: 'limit: must be a whole number in decimal digits',
        })
      },
    )

    it('accepts plain digits, leading zeros included', async () => {
      for (const query of ['limit=16', 'limit=007', 'offset=0', 'limit=1000']) {
        expect((await app.request(`/api/v1/events?${query}`)).status, query).toBe(200)
      }
    })
  })

  describe('bound messages name the real bound', () => {
    it.each([
      ['/events?limit=1001', 'limit: must be at most 1000'],
      ['/events?limit=99999999999999999999', 'limit: must be at most 1000'],
      ['/workflows?limit=0', 'limit: must be at least 1'],
      ['/events?offset=9007199254740993', 'offset: must be at most 9007199254740991'],
      ['/events/x/descendants?max_depth=21', 'max_depth: must be at most 20'],
    ])('%s', async (path, detail) => {
      expect((await problem(path)).detail).toBe(detail)
    })
  })
})
