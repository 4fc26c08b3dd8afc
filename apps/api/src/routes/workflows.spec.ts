import { randomUUID } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { DecodedEvent } from '@historian/envelope'

import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js'
import {
  decodeBody,
  readFixtureEvents,
  storeAndProject,
} from '../../../../test/support/projections.js'
import { createTestApp } from '../testing/test-app.js'
import { WorkflowStateView } from './workflows.js'

const WORKFLOW = 'bc504cbe-37e0-4bd1-9e68-73657bf72502'
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/

interface State {
  workflow_id: string
  status: string
  updated_at: string
}

describe('GET /workflows and /workflows/{id}', () => {
  let database: TestDatabase
  let app: ReturnType<typeof createTestApp>['app']
  let fixtures: Map<string, DecodedEvent>

  const get = (path: string) => app.request(`/api/v1${path}`)
  const json = async <T>(path: string): Promise<T> => {
    const res = await get(path)
    expect(res.status, path).toBe(200)
    return (await res.json()) as T
  }
  const listIds = async (query: string) =>
    (await json<State[]>(`/workflows?${query}`)).map((state) => state.workflow_id)

  /** Five more workflows that share one updated time, so ties fall to the id. */
  const tied = ['tie-a', 'tie-b', 'tie-c', 'tie-d', 'tie-e']

  beforeAll(async () => {
    database = await createTestDatabase('api_workflows')
    app = createTestApp(database, { API_MAX_PAGE_SIZE: '50' }).app
    fixtures = await readFixtureEvents()

    for (const event of fixtures.values()) await storeAndProject(database.db, [event])
    await storeAndProject(
      database.db,
      tied.map((id) =>
        decodeBody(
          {
            event_id: randomUUID(),
            event_type: 'n8n.workflow.started',
            timestamp: '2026-01-01T00:00:00Z',
            payload: { workflow_id: id, workflow_type: 'n8n' },
          },
          'n8n.workflow.started',
        ),
      ),
    )
  })

  afterAll(async () => {
    await database?.drop()
  })

  it('lists workflows newest first by updated time, then by id, as a bare array', async () => {
    const ids = await listIds('')

    expect(ids).toEqual(['wf-sample-repo-42', WORKFLOW, ...[...tied].reverse()])
  })

  it.each([
    ['status=completed', [WORKFLOW]],
    ['status=initiated', ['tie-e', 'tie-d', 'tie-c', 'tie-b', 'tie-a']],
    ['type=n8n', ['wf-sample-repo-42', 'tie-e', 'tie-d', 'tie-c', 'tie-b', 'tie-a']],
    ['workflow_type=feature-delivery', [WORKFLOW]],
    ['type=n8n&status=in_progress', ['wf-sample-repo-42']],
    ['status=nothing', []],
  ])('filters by %s', async (query, expected) => {
    expect(await listIds(query)).toEqual(expected)
  })

  it('pages with limit and a Link cursor, without repeats or gaps', async () => {
    const all = await listIds('')
    const seen: string[] = []

    let path: string | null = '/api/v1/workflows?limit=2'
    while (path) {
      const res: Response = await app.request(path)
      seen.push(...((await res.json()) as State[]).map((state) => state.workflow_id))
      path = /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '')?.[1] ?? null
    }

    expect(seen).toEqual(all)
  })

  it('keeps offset working for old clients', async () => {
    expect(await listIds('limit=2&offset=3')).toEqual((await listIds('')).slice(3, 5))
  })

  it('returns the state of bc504cbe in the documented shape', async () => {
    const state = await json<Record<string, unknown>>(`/workflows/${WORKFLOW}/state`)

    expect(WorkflowStateView.parse(state)).toEqual(state)
    expect(state).toMatchObject({
      workflow_id: WORKFLOW,
      workflow_type: 'feature-delivery',
      status: 'completed',
      current_phase: 'solutioning',
      started_at: '2026-03-03T09:00:04.118220Z',
      updated_at: '2026-03-03T16:05:12.009913Z',
      completed_at: '2026-03-03T16:05:12.009913Z',
      event_count: 3,
      last_event_id: fixtures.get('07')!.eventId,
      session_ids: ['sess-7c1e9b2a'],
      checkpoint_ids: ['ckpt-0003', 'ckpt-final'],
    })
  })

  it("finds 08's workflow by its plain-text id", async () => {
    const state = await json<State>('/workflows/wf-sample-repo-42/state')

    expect(state).toMatchObject({ workflow_id: 'wf-sample-repo-42', status: 'in_progress' })
    expect(state.updated_at).toMatch(TIMESTAMP)
  })

  it('finds a workflow whose id has a slash, spaces and non-ASCII, percent-encoded', async () => {
    const id = 'team/alpha 42 ü?#'
    await storeAndProject(database.db, [
      decodeBody(
        {
          event_id: randomUUID(),
          event_type: 'x.workflow.step',
          timestamp: '2025-01-01T00:00:00Z',
          payload: { workflow_id: id },
        },
        'x.workflow.step',
      ),
    ])

    const state = await json<State>(`/workflows/${encodeURIComponent(id)}/state`)

    expect(state.workflow_id).toBe(id)
  })

  it('lists the timeline of bc504cbe: its state, then 05, 06 and 07 oldest first', async () => {
    const timeline = await json<{ state: State; events: Array<Record<string, unknown>> }>(
      `/workflows/${WORKFLOW}/timeline`,
    )

    expect(timeline.state).toMatchObject({ workflow_id: WORKFLOW, status: 'completed' })
    expect(timeline.events.map((event) => event.event_id)).toEqual(
      ['05', '06', '07'].map((number) => fixtures.get(number)!.eventId),
    )
    expect(timeline.events[0]).toMatchObject({
      event_type: 'bmad.workflow.started',
      timestamp: '2026-03-03T09:00:04.118220Z',
      payload: { workflow_id: WORKFLOW, phase: 'analysis' },
    })
  })

  it('pages a timeline with a Link cursor', async () => {
    const res = await get(`/workflows/${WORKFLOW}/timeline?limit=2`)
    const first = (await res.json()) as { events: Array<{ event_id: string }> }
    const next = /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '')?.[1]

    const second = (await (await app.request(next!)).json()) as typeof first

    expect([...first.events, ...second.events].map((event) => event.event_id)).toEqual(
      ['05', '06', '07'].map((number) => fixtures.get(number)!.eventId),
    )
  })

  it.each(['/workflows/nope/state', '/workflows/nope/timeline'])(
    'answers 404 problem+json for an unknown workflow: %s',
    async (path) => {
      const res = await get(path)

      expect(res.status).toBe(404)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
    },
  )

  it.each([
    ['/workflows?limit=0', 'limit'],
    ['/workflows?limit=51', 'limit'],
    ['/workflows?limit=ten', 'limit'],
    ['/workflows?offset=-1', 'offset'],
    ['/workflows?after=not-a-cursor!', 'after'],
    ['/workflows?type=a&workflow_type=b', 'workflow_type'],
    ['/workflows?status=', 'status'],
    [`/workflows/${WORKFLOW}/timeline?after=%25%25`, 'after'],
    [`/workflows/${WORKFLOW}/timeline?limit=51`, 'limit'],
    ['/workflows/a%00b/state', 'id'],
    [`/workflows/${'x'.repeat(1025)}/state`, 'id'],
  ])('answers 400 problem+json naming the parameter for %s', async (path, param) => {
    const res = await get(path)

    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toMatchObject({ status: 400, code: 'invalid_parameter', param })
  })
})
