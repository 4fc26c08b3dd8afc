import { randomUUID } from 'node:crypto'

import type { DecodedEvent } from '@historian/envelope'

import { seededRandom } from '../../scripts/lib/generate-events.js'

/** Ids the measurements aim at: the biggest groups and the thousand-event causation tree. */
export interface Landmarks {
  treeRoot: string
  treeLeaf: string
  treeSize: number
  bigWorkflows: string[]
  smallWorkflows: string[]
  sessions: string[]
  chains: string[]
  agents: string[]
  sources: string[]
  startMillis: number
  endMillis: number
}

const AGENTS = [
  'scout', 'builder', 'planner', 'reviewer', 'tonny', 'herald',
  'scribe', 'warden', 'oracle', 'smith', 'ranger', 'keeper',
]
const AGENT_ACTIONS = ['started', 'status', 'tool.requested', 'tool.completed', 'message', 'ended']
const WORKFLOW_STEPS = ['started', 'phase.completed', 'progress', 'checkpoint.saved', 'completed']
const COMMAND_ACTIONS = ['run', 'run_git_maintenance', 'deploy', 'review', 'plan', 'sync']
const OTHER_TYPES = [
  'fireflies.transcript.ready',
  'artifact.created',
  'system.heartbeat.tick',
  'llm.prompt',
  'llm.response',
  'tool.mutation.edit',
]
const WORDS = 'the agent wrote a plan then shipped the fix with tests docs and a note'.split(' ')

const TREE_SIZE = 1000
const TREE_STARTS_AT = 0.5
const SESSIONS_PER_AGENT = 50
const BIG_WORKFLOWS = 20
const SMALL_WORKFLOWS = 10_000
const CHAINS = 500
const MILLIS_PER_EVENT = 2400

/**
 * A million-event history with the shape DESIGN section 11 asks for: envelope v1 bodies of
 * 300 B to 4 KB (log-uniform, so most are small), a third of events caused by a recent one and
 * some by two, agent sessions, workflows from huge to tiny, command chains, times that jitter
 * out of order and sometimes tie, and one causation tree of exactly 1,000 events.
 *
 * Events are yielded as `DecodedEvent`s, the columns ingest would have extracted, so the loader
 * can use ingest's own `appendEvents`.
 */
export function* generateQueryDataset(
  count: number,
  landmarks: Landmarks,
): Generator<DecodedEvent> {
  const random = seededRandom(7)
  const pick = <T>(items: readonly T[]): T => pickFrom(random, items)
  const recent: string[] = []
  const tree = createTree(random, landmarks)
  const treeEvery = Math.max(1, Math.floor((count * 0.002) / TREE_SIZE) || 1)
  let treeNext = Math.floor(count * TREE_STARTS_AT)
  let previousMillis = landmarks.startMillis

  for (let i = 0; i < count; i++) {
    let millis = landmarks.startMillis + i * MILLIS_PER_EVENT + (random() - 0.5) * 10_000
    if (random() < 0.01) millis = previousMillis
    previousMillis = millis

    const node = i >= treeNext ? tree.shift() : undefined
    if (node) treeNext = i + treeEvery
    const parents = node
      ? node.parents
      : recent.length && random() < 0.35
        ? random() < 0.1
          ? [pick(recent), pick(recent)]
          : [pick(recent)]
        : []

    const event = node
      ? makeEvent(random, pick, { eventId: node.id, type: 'causation.tree.step', parents, millis })
      : makeEvent(random, pick, { eventId: randomUUID(), parents, millis, landmarks })
    // The tree stays exactly 1,000 events: nothing else may name its nodes as parents.
    if (!node) recent.push(event.eventId)
    if (recent.length > 500) recent.shift()
    yield event
  }
}

/** Fills in the landmarks the dataset is generated around; ids are fresh each run. */
export function createLandmarks(count: number): Landmarks {
  const startMillis = Date.UTC(2026, 0, 1)
  const sessions = AGENTS.flatMap((agent) =>
    Array.from({ length: SESSIONS_PER_AGENT }, (_, n) => `sess-${agent}-${n}`),
  )
  return {
    treeRoot: '',
    treeLeaf: '',
    treeSize: TREE_SIZE,
    bigWorkflows: Array.from({ length: BIG_WORKFLOWS }, () => randomUUID()),
    smallWorkflows: Array.from({ length: SMALL_WORKFLOWS }, () => randomUUID()),
    sessions,
    chains: Array.from({ length: CHAINS }, () => randomUUID()),
    agents: AGENTS,
    sources: ['bmad', 'command-adapter', 'fireflies', 'llm-gateway', 'agent-runtime'],
    startMillis,
    endMillis: startMillis + count * MILLIS_PER_EVENT,
  }
}

interface TreeNode {
  id: string
  parents: string[]
  depth: number
}

/**
 * A 1,000-event random recursive tree (each event caused by a uniformly chosen earlier one, so
 * about twenty levels at most), parents before children, with a few dozen diamonds: a second
 * parent from the same level as the first.
 */
function createTree(random: () => number, landmarks: Landmarks): TreeNode[] {
  const nodes: TreeNode[] = [{ id: randomUUID(), parents: [], depth: 0 }]
  while (nodes.length < TREE_SIZE) {
    const parent = pickFrom(random, nodes)
    const parents = [parent.id]
    const uncles = nodes.filter((n) => n.depth === parent.depth && n !== parent)
    if (uncles.length && random() < 0.05) parents.push(pickFrom(random, uncles).id)
    nodes.push({ id: randomUUID(), parents, depth: parent.depth + 1 })
  }

  landmarks.treeRoot = nodes[0]!.id
  landmarks.treeLeaf = nodes.reduce((deepest, n) => (n.depth > deepest.depth ? n : deepest)).id
  return nodes
}

function pickFrom<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!
}

interface EventSeed {
  eventId: string
  parents: string[]
  millis: number
  type?: string
  landmarks?: Landmarks
}

function makeEvent(
  random: () => number,
  pick: <T>(items: readonly T[]) => T,
  seed: EventSeed,
): DecodedEvent {
  const agent = pick(AGENTS)
  const session = `sess-${agent}-${Math.floor(random() * SESSIONS_PER_AGENT)}`
  const kind = seed.type ? 1 : random()
  let type = seed.type ?? ''
  let routingKey = ''
  let workflowId: string | null = null
  let correlationId: string | null = null
  let sourceApp = 'agent-runtime'

  if (!seed.type && kind < 0.4) {
    type = `agent.${agent}.${pick(AGENT_ACTIONS)}`
  } else if (!seed.type && kind < 0.7) {
    type = `bmad.workflow.${pick(WORKFLOW_STEPS)}`
    const { bigWorkflows, smallWorkflows } = seed.landmarks!
    workflowId = pick(random() < 0.3 ? bigWorkflows : smallWorkflows)
    sourceApp = 'bmad'
  } else if (!seed.type && kind < 0.85) {
    type = random() < 0.67 ? 'command.envelope' : 'command.ack'
    routingKey = type === 'command.ack' ? type : `command.${agent}.${pick(COMMAND_ACTIONS)}`
    correlationId = pick(seed.landmarks!.chains)
    sourceApp = 'command-adapter'
  } else if (!seed.type) {
    type = pick(OTHER_TYPES)
    sourceApp = type.startsWith('llm.') ? 'llm-gateway' : type.split('.')[0]!
  }
  routingKey ||= type

  // Microseconds, as producers send them and as `occurredAt` must be.
  const timestamp = new Date(seed.millis).toISOString().replace('Z', '417Z')
  const targetBytes = Math.round(300 * Math.pow(4096 / 300, random()))
  const envelope = {
    event_id: seed.eventId,
    event_type: type,
    timestamp,
    version: '1.0.0',
    source: { host: 'bench-01', type: 'service', app: sourceApp },
    correlation_ids: seed.parents,
    ...(correlationId ? { correlation_id: correlationId } : {}),
    agent_context: { type: 'claude-code', name: agent, session_id: session },
  }
  const head = JSON.stringify(envelope).slice(0, -1)
  const payloadHead = workflowId ? `{"workflow_id":"${workflowId}","text":"` : '{"text":"'
  const room = Math.max(0, targetBytes - head.length - payloadHead.length - 16)
  let text = ''
  while (text.length < room) text += `${pick(WORDS)} `
  const body = `${head},"payload":${payloadHead}${text.slice(0, room)}"}}`

  return {
    eventId: seed.eventId,
    eventType: type,
    routingKey,
    exchange: 'bloodbank.events.v1',
    occurredAt: timestamp,
    receivedAt: new Date(seed.millis + 40),
    parentIds: seed.parents,
    correlationId,
    workflowId,
    sessionId: session,
    agentName: agent,
    sourceApp,
    format: 'envelope_v1',
    flags: [],
    body: Buffer.from(body),
    amqp: { message_id: seed.eventId, redelivered: false, x_death: null },
    facts: {
      workflowType: null,
      status: null,
      phase: null,
      checkpointId: null,
      agentType: 'claude-code',
      actingAgent: agent,
      handoffTo: null,
    },
  }
}
