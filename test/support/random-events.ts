import type { DecodedEvent } from '@historian/envelope'

import { decodeBody } from './projections.js'
import type { SeededRandom } from './seeded-random.js'

const TYPES = [
  'bmad.workflow.started',
  'bmad.workflow.created',
  'bmad.workflow.phase.completed',
  'bmad.workflow.completed',
  'bmad.workflow.failed',
  'bmad.workflow.error',
  'bmad.workflow.step',
  'agent.handoff.accepted',
  'agent.scout.session.started',
  'agent.scout.session.ended',
  'agent.scout.session.stopped',
  'agent.scout.heartbeat',
  'agent.builder.tool.succeeded',
]

/** Where an event names its session: each place of DESIGN 4 that an envelope can carry. */
const SESSION_PLACES = ['context_session', 'context_instance', 'top_level', 'session_key', 'none']

export interface RandomEventOptions {
  count: number
  /** Every event at its own time; otherwise times repeat, so ties fall to positions. */
  distinctTimes: boolean
}

/**
 * Envelope v1 events over a few workflows (one with a plain-text id) and sessions, with random
 * types, statuses, phases, checkpoints and agents, decoded by the real decoder. The same seed
 * gives the same events.
 */
export function randomEvents(random: SeededRandom, options: RandomEventOptions): DecodedEvent[] {
  const hex = (length: number) =>
    Array.from({ length }, () => random.int(16).toString(16)).join('')
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`

  const workflows = [uuid(), uuid(), `wf-plain-${hex(4)}`]
  const sessions = [uuid(), `agent:scout:${hex(4)}`, uuid()]
  const seconds = random.shuffle(Array.from({ length: options.count }, (_, i) => i))

  return seconds.map((second) => {
    const type = random.pick(TYPES)
    const time = options.distinctTimes ? second : random.int(6) * 7
    const fraction = options.distinctTimes ? String(random.int(1_000_000)).padStart(6, '0') : '5'
    const timestamp =
      `2026-05-01T08:${String(Math.floor(time / 60)).padStart(2, '0')}:` +
      `${String(time % 60).padStart(2, '0')}.${fraction}Z`

    const payload: Record<string, unknown> = {}
    const maybe = (chance: number, key: string, value: () => unknown) => {
      if (random.next() < chance) payload[key] = value()
    }
    maybe(0.7, 'workflow_id', () => random.pick(workflows))
    maybe(0.2, 'status', () => random.pick(['blocked', 'in_progress', 'completed']))
    maybe(0.3, 'phase', () => random.pick(['analysis', 'planning', 'review']))
    maybe(0.3, 'workflow_type', () => random.pick(['feature', 'bugfix']))
    maybe(0.3, 'checkpoint_id', () => `ckpt-${random.int(4)}`)
    maybe(0.3, 'agent_name', () => random.pick(['scout', 'builder']))
    if (type === 'agent.handoff.accepted') payload.to_agent = random.pick(['reviewer', 'tester'])

    const body: Record<string, unknown> = { event_id: uuid(), event_type: type, timestamp }
    const context: Record<string, unknown> = {}
    if (random.next() < 0.5) context.name = random.pick(['Architect', 'Builder'])
    if (random.next() < 0.5) context.type = random.pick(['claude-code', 'letta'])

    const session = random.pick(sessions)
    const place = random.pick(SESSION_PLACES)
    if (place === 'context_session') context.session_id = session
    if (place === 'context_instance') context.instance_id = session
    if (place === 'top_level') body.session_id = session
    if (place === 'session_key') payload.session_key = session

    if (Object.keys(context).length > 0) body.agent_context = context
    body.payload = payload
    const event = decodeBody(body, type)
    if (event.flags.includes('time_inferred')) throw new Error(`bad test time ${timestamp}`)
    return event
  })
}
