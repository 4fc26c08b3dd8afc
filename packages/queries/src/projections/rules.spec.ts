import { randomUUID } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { DecodedEvent } from '@historian/envelope'

import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js'
import { decodeBody, storeAndProject } from '../../../../test/support/projections.js'
import { lastWord } from './rules.js'

let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase('projection_rules')
})

afterAll(async () => {
  await database?.drop()
})

/** An envelope v1 event at `second` seconds past a fixed minute. */
function v1(type: string, second: number, payload: object, extra: object = {}): DecodedEvent {
  const timestamp = `2026-04-01T10:00:${String(second).padStart(2, '0')}.000001Z`
  const body = { event_id: randomUUID(), event_type: type, timestamp, payload, ...extra }
  return decodeBody(body, type)
}

/** Stores each group as its own batch, in the order given. */
async function deliver(...batches: DecodedEvent[][]): Promise<void> {
  for (const batch of batches) await storeAndProject(database.db, batch)
}

async function workflow(id: string) {
  return database.db
    .selectFrom('workflow_state')
    .selectAll()
    .where('workflow_id', '=', id)
    .executeTakeFirstOrThrow()
}

async function session(id: string) {
  return database.db
    .selectFrom('agent_sessions')
    .selectAll()
    .where('session_id', '=', id)
    .executeTakeFirstOrThrow()
}

describe('workflow status', () => {
  it('is `initiated` for a lone start, `in_progress` once an earlier event arrives', async () => {
    const id = randomUUID()
    await deliver([v1('bmad.workflow.started', 20, { workflow_id: id })])
    expect((await workflow(id)).status).toBe('initiated')

    await deliver([v1('bmad.workflow.note', 10, { workflow_id: id })])

    expect((await workflow(id)).status).toBe('in_progress')
  })

  it('stays `completed` when the started event arrives after the completion', async () => {
    const id = randomUUID()

    await deliver(
      [v1('bmad.workflow.completed', 30, { workflow_id: id })],
      [v1('bmad.workflow.started', 10, { workflow_id: id })],
    )

    expect(await workflow(id)).toMatchObject({ status: 'completed', event_count: '2' })
  })

  it('takes an explicit payload.status over the word of the type', async () => {
    const id = randomUUID()

    await deliver([v1('bmad.workflow.completed', 10, { workflow_id: id, status: 'blocked' })])

    expect((await workflow(id)).status).toBe('blocked')
  })

  it.each([
    ['x.workflow.created', 'in_progress'],
    ['x.workflow.completed', 'completed'],
    ['x.workflow.succeeded', 'completed'],
    ['x.workflow.failed', 'failed'],
    ['x.workflow.error', 'failed'],
    ['x.workflow.phase.entered', 'in_progress'],
    ['x.workflow.constructor', 'in_progress'],
  ])('reads the last word of %s after a first event as %s', async (type, status) => {
    const id = randomUUID()

    await deliver([
      v1('x.workflow.started', 10, { workflow_id: id }),
      v1(type, 20, { workflow_id: id }),
    ])

    expect((await workflow(id)).status).toBe(status)
  })

  it('breaks a tie on occurred_at by position: the event stored later wins', async () => {
    const id = randomUUID()

    await deliver(
      [v1('x.workflow.failed', 10, { workflow_id: id })],
      [v1('x.workflow.completed', 10, { workflow_id: id })],
    )

    expect((await workflow(id)).status).toBe('completed')
  })

  it('sets completed_at while the latest event finishes the workflow', async () => {
    const id = randomUUID()
    await deliver([v1('x.workflow.completed', 30, { workflow_id: id })])
    expect((await workflow(id)).completed_at).toBe('2026-04-01 10:00:30.000001+00')

    await deliver([v1('x.workflow.reopened', 40, { workflow_id: id })])

    expect(await workflow(id)).toMatchObject({ status: 'in_progress', completed_at: null })
  })
})

describe('workflow fields', () => {
  it('makes the receiving agent of agent.handoff.accepted the current agent', async () => {
    const id = randomUUID()
    const context = { agent_context: { name: 'planner', type: 'claude-code' } }

    await deliver(
      [v1('x.workflow.step', 10, { workflow_id: id }, context)],
      [v1('agent.handoff.accepted', 20, { workflow_id: id, to_agent: 'reviewer' }, context)],
    )

    expect((await workflow(id)).current_agent).toBe('reviewer')
  })

  it('keeps the latest phase and type given, ignoring later events without them', async () => {
    const id = randomUUID()

    await deliver(
      [v1('x.workflow.step', 30, { workflow_id: id })],
      [v1('x.workflow.step', 20, { workflow_id: id, phase: 'review', workflow_type: 'b' })],
      [v1('x.workflow.step', 10, { workflow_id: id, phase: 'analysis', workflow_type: 'a' })],
    )

    expect(await workflow(id)).toMatchObject({ current_phase: 'review', workflow_type: 'b' })
  })

  it('keeps each session and checkpoint once, across batches', async () => {
    const id = randomUUID()
    const event = (second: number, sessionId: string, checkpoint: string) =>
      v1('x.workflow.step', second, { workflow_id: id, checkpoint_id: checkpoint }, {
        agent_context: { session_id: sessionId },
      })

    await deliver(
      [event(10, 's-b', 'c-2'), event(11, 's-a', 'c-1')],
      [event(12, 's-a', 'c-2'), event(13, 's-b', 'c-1')],
    )

    const row = await workflow(id)
    expect([...row.session_ids].sort()).toEqual(['s-a', 's-b'])
    expect([...row.checkpoint_ids].sort()).toEqual(['c-1', 'c-2'])
    expect(row.event_count).toBe('4')
  })
})

describe('session status', () => {
  const sessionEvent = (type: string, second: number, key: string) =>
    v1(type, second, { session_key: key })

  it('is active before any lifecycle event', async () => {
    const key = randomUUID()

    await deliver([sessionEvent('agent.scout.heartbeat', 10, key)])

    expect((await session(key)).status).toBe('active')
  })

  const endings = ['ended', 'completed', 'stopped', 'failed']

  it.each(endings)('ends with a lifecycle event whose type ends in %s', async (word) => {
    const key = randomUUID()

    await deliver([sessionEvent('agent.scout.session.started', 10, key)])
    await deliver([sessionEvent(`agent.scout.session.${word}`, 20, key)])

    expect((await session(key)).status).toBe('ended')
  })

  it('stays ended when an earlier lifecycle event arrives late', async () => {
    const key = randomUUID()

    await deliver(
      [sessionEvent('agent.scout.session.ended', 20, key)],
      [sessionEvent('agent.scout.session.started', 10, key)],
    )

    expect(await session(key)).toMatchObject({ status: 'ended', event_count: '2' })
  })

  it('is active again after a later start', async () => {
    const key = randomUUID()

    await deliver(
      [sessionEvent('agent.scout.session.started', 30, key)],
      [sessionEvent('agent.scout.session.ended', 20, key)],
    )

    expect((await session(key)).status).toBe('active')
  })

  it('files an event under agent_context.session_id before agent_context.instance_id', async () => {
    const key = randomUUID()
    const context = { agent_context: { session_id: key, instance_id: randomUUID() } }

    await deliver([v1('agent.scout.tick', 10, {}, context)])

    expect((await session(key)).event_count).toBe('1')
  })
})

describe('lastWord', () => {
  it('reads the last word of a dotted, underscored or mixed-case type', () => {
    expect(lastWord('bmad.workflow.phase.Completed')).toBe('completed')
    expect(lastWord('task_failed')).toBe('failed')
    expect(lastWord('')).toBe('')
  })
})
