import type { Landmarks } from './query-dataset.js'

/** One measured query: pages walked by cursor from `urls`, or one URL requested repeatedly. */
export interface BenchQuery {
  name: string
  kind: 'pages' | 'repeat'
  urls: string[]
  targetMs?: number
}

const PAGE_TARGET_MS = 20
const TREE_TARGET_MS = 50

/** The queries of DESIGN section 11, aimed at the dataset's landmarks. */
export function benchQueries(landmarks: Landmarks, prefix = '/api/v1'): BenchQuery[] {
  const day = (n: number) => new Date(landmarks.startMillis + n * 86_400_000).toISOString()
  const events = (query: string) => `${prefix}/events?limit=100${query ? `&${query}` : ''}`
  const pages = (name: string, urls: string[]): BenchQuery => ({
    name: `${name}, page of 100 by cursor`,
    kind: 'pages',
    urls,
    targetMs: PAGE_TARGET_MS,
  })
  const repeat = (name: string, url: string, targetMs?: number): BenchQuery => ({
    name,
    kind: 'repeat',
    urls: [url],
    ...(targetMs ? { targetMs } : {}),
  })
  const { bigWorkflows, chains, agents, sessions, sources } = landmarks
  const tree = `${prefix}/events/${landmarks.treeRoot}`
  const leaf = `${prefix}/events/${landmarks.treeLeaf}`

  return [
    pages('events, no filter (newest first)', [events('')]),
    pages('events, no filter, order=asc', [events('order=asc')]),
    pages('workflow_id', bigWorkflows.map((id) => events(`workflow_id=${id}`))),
    pages('correlation_id', chains.map((id) => events(`correlation_id=${id}`))),
    pages('event_type exact', [events('event_type=agent.scout.status')]),
    pages('event_type=bmad.workflow.*', [events('event_type=bmad.workflow.*')]),
    pages('event_type=agent.* (72 types)', [events('event_type=agent.*')]),
    pages('event_type=agent.*.started,llm.', [events('event_type=agent.*.started,llm.')]),
    pages('routing_key', [events('routing_key=command.builder.deploy')]),
    pages('agent', agents.map((name) => events(`agent=${name}`))),
    pages('session_id', sessions.map((id) => events(`session_id=${id}`))),
    pages('source', sources.map((name) => events(`source=${name}`))),
    pages('start_time/end_time (one day)', [events(`start_time=${day(3)}&end_time=${day(4)}`)]),
    pages('agent + time range', [events(`agent=scout&since=${day(5)}&until=${day(9)}`)]),
    pages(
      'workflow_id + event_type pattern',
      bigWorkflows.map((id) => events(`workflow_id=${id}&event_type=*.completed`)),
    ),
    pages('correlations/{id}', chains.map((id) => `${prefix}/correlations/${id}?limit=100`)),
    pages(
      'workflows/{id}/timeline',
      bigWorkflows.map((id) => `${prefix}/workflows/${id}/timeline?limit=100`),
    ),
    repeat('descendants of the 1,000-event tree, flat', `${tree}/descendants`, TREE_TARGET_MS),
    repeat('descendants, format=tree', `${tree}/descendants?format=tree`, TREE_TARGET_MS),
    repeat('ancestors of the deepest tree event', `${leaf}/ancestors`),
    repeat(
      'stats group_by=type, bucket=hour, 1 day',
      `${prefix}/stats?group_by=type&bucket=hour&start_time=${day(3)}&end_time=${day(4)}`,
    ),
    repeat(
      'stats group_by=agent, bucket=day, 7 days',
      `${prefix}/stats?group_by=agent&bucket=day&start_time=${day(3)}&end_time=${day(10)}`,
    ),
  ]
}
