import { randomUUID } from 'node:crypto'

/** A message as a producer would publish it. */
export interface GeneratedMessage {
  eventId: string
  routingKey: string
  body: Buffer
  messageId: string
}

/** A small seeded PRNG (mulberry32), so a run can be repeated exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const AGENTS = ['scout', 'builder', 'planner', 'reviewer', 'tonny']
const WORDS = 'the agent wrote a plan then shipped the login fix with tests and docs'.split(' ')

/**
 * The realistic mix of DESIGN section 11: envelope v1 bodies of 300 B to 4 KB, about a third
 * caused by an earlier event, grouped into workflows and agent sessions.
 */
export function* generateMessages(count: number, seed = 42): Generator<GeneratedMessage> {
  const random = seededRandom(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const recent: string[] = []
  const workflows = Array.from({ length: 50 }, () => randomUUID())
  const start = Date.UTC(2026, 0, 1)

  for (let i = 0; i < count; i++) {
    const eventId = randomUUID()
    const agent = pick(AGENTS)
    const kind = random()
    const routingKey =
      kind < 0.4
        ? `agent.${agent}.${pick(['status', 'tool.requested', 'tool.completed', 'message'])}`
        : kind < 0.7
          ? `bmad.workflow.${pick(['started', 'phase.completed', 'progress', 'completed'])}`
          : pick(['fireflies.transcript.ready', 'artifact.created', 'system.heartbeat.tick'])

    const parents = recent.length && random() < 0.35 ? [pick(recent)] : []
    const words = Math.floor(5 + random() * 600)
    const text = Array.from({ length: words }, () => pick(WORDS)).join(' ')

    const body = {
      event_id: eventId,
      event_type: routingKey,
      timestamp: new Date(start + i * 37).toISOString().replace('Z', '123Z'),
      version: '1.0.0',
      source: { host: 'bench-01', type: 'service', app: `app-${agent}`, meta: {} },
      correlation_ids: parents,
      agent_context: {
        type: 'claude-code',
        name: agent,
        instance_id: `sess-${agent}-${Math.floor(random() * 20)}`,
        checkpoint_id: random() < 0.1 ? `ckpt-${i}` : null,
      },
      payload: {
        workflow_id: routingKey.startsWith('bmad.') ? pick(workflows) : undefined,
        agent_name: agent,
        sequence: i,
        text,
      },
    }

    recent.push(eventId)
    if (recent.length > 200) recent.shift()
    yield { eventId, routingKey, body: Buffer.from(JSON.stringify(body)), messageId: eventId }
  }
}
