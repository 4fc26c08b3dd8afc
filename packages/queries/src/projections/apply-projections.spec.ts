import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { DecodedEvent } from '@historian/envelope'

import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js'
import {
  readFixtureEvents,
  readProjectionRows,
  storeAndProject,
} from '../../../../test/support/projections.js'

const WORKFLOW = 'bc504cbe-37e0-4bd1-9e68-73657bf72502'

describe('applyProjections on the samples, stored one batch per sample in file order', () => {
  let database: TestDatabase
  let fixtures: Map<string, DecodedEvent>

  const fixture = (number: string) => fixtures.get(number)!
  const workflow = (id: string) =>
    database.db.selectFrom('workflow_state').selectAll().where('workflow_id', '=', id).execute()
  const session = (id: string) =>
    database.db.selectFrom('agent_sessions').selectAll().where('session_id', '=', id).execute()

  beforeAll(async () => {
    database = await createTestDatabase('projections')
    fixtures = await readFixtureEvents()
    for (const event of fixtures.values()) await storeAndProject(database.db, [event])
  })

  afterAll(async () => {
    await database?.drop()
  })

  it('ends bc504cbe completed with 3 events, two checkpoints and one session', async () => {
    const [row] = await workflow(WORKFLOW)

    expect(row).toMatchObject({
      status: 'completed',
      event_count: '3',
      checkpoint_ids: ['ckpt-0003', 'ckpt-final'],
      session_ids: ['sess-7c1e9b2a'],
    })
  })

  it('keeps the type, the last phase, the acting agent, the times and the last event', async () => {
    const [row] = await workflow(WORKFLOW)

    expect(row).toMatchObject({
      workflow_type: 'feature-delivery',
      current_phase: 'solutioning',
      current_agent: 'Builder',
      started_at: '2026-03-03 09:00:04.11822+00',
      updated_at: '2026-03-03 16:05:12.009913+00',
      completed_at: '2026-03-03 16:05:12.009913+00',
      last_event_id: fixture('07').eventId,
      last_event_type: 'bmad.workflow.completed',
    })
  })

  it('projects 08, whose workflow id is plain text, like any other workflow', async () => {
    const [row] = await workflow('wf-sample-repo-42')

    expect(row).toMatchObject({ workflow_type: 'n8n', status: 'in_progress', event_count: '1' })
  })

  it('ends agent:scout:main `ended` with 3 events: the heartbeat does not reopen it', async () => {
    const [row] = await session('agent:scout:main')

    expect(row).toMatchObject({
      agent_name: 'scout',
      status: 'ended',
      event_count: '3',
      first_seen_at: '2026-03-05 07:58:02.331408+00',
      last_seen_at: '2026-03-05 15:02:00.412006+00',
    })
  })

  it('files 18 under the session named by its top-level session_id', async () => {
    const [row] = await session('77a69237-9cf3-4257-a058-4817fa4eda9e')

    expect(row).toMatchObject({ event_count: '1', first_seen_at: '2026-03-06 18:04:11.902331+00' })
  })

  it('files sess-7c1e9b2a by agent_context.instance_id, with agent and checkpoint', async () => {
    const [row] = await session('sess-7c1e9b2a')

    expect(row).toMatchObject({
      workflow_id: WORKFLOW,
      agent_name: 'Builder',
      agent_type: 'letta',
      latest_checkpoint: 'ckpt-final',
      event_count: '3',
    })
  })

  it('files the CloudEvents session by data.session_id, then correlationid', async () => {
    const [row] = await session('55bd3322-b29f-472b-8c0a-cbe52464c5d3')

    // 35 is `agent.tool.completed`: its type ends in `completed`, which DESIGN 4 reads as the
    // end of the session.
    expect(row).toMatchObject({ event_count: '4', agent_type: 'agent_cli', status: 'ended' })
  })

  it('never projects an event twice: a duplicate changes nothing', async () => {
    const before = await readProjectionRows(database.db)

    const appended = await storeAndProject(database.db, [fixture('05'), fixture('09')])

    expect(appended).toEqual([])
    expect(await readProjectionRows(database.db)).toEqual(before)
  })

  it('leaves both tables alone for an event with neither a workflow nor a session', async () => {
    const before = await readProjectionRows(database.db)
    const root = fixture('01')
    expect([root.workflowId, root.sessionId]).toEqual([null, null])

    await database.db.deleteFrom('events').where('event_id', '=', root.eventId).execute()
    const appended = await storeAndProject(database.db, [root])

    expect(appended).toHaveLength(1)
    expect(await readProjectionRows(database.db)).toEqual(before)
  })
})
