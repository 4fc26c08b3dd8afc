/**
 * @module The projection rules of DESIGN section 4, as data: for every projected column, where
 * one event's value comes from and how values merge. A batch is folded per key by these rules
 * (`fold-batch.ts`) and merged into the stored row by SQL generated from them (`merge-sql.ts`,
 * `upsert-statement.ts`). So a new producer's field is a change to one `from`, and a new
 * column is one line here plus a migration.
 */
import type { ProjectedEvent } from './projected-event.js'

/**
 * How the values of several events combine. Each kind is commutative and associative, and none
 * counts an event twice unless it is applied twice, so the result is the same in any order.
 *
 * - `least` / `greatest`: the smallest / largest value (times and integers only).
 * - `count`: the number of events (no `from`).
 * - `union`: the set of the non-null values, sorted by UTF-8 bytes.
 * - `first` / `last`: the value of the earliest / latest event by (occurred_at, position), as
 *   held in the projection's `firstKey` / `lastKey` columns. It may be null.
 * - `lastNonNull`: the value of the latest event that has one. Its key is kept beside it in
 *   `<column>_at` and `<column>_position`.
 */
export type MergeKind = 'least' | 'greatest' | 'count' | 'union' | 'first' | 'last' | 'lastNonNull'

/** The Postgres type of one event's value; a `union` column is an array of it. */
export type ValueType = 'text' | 'uuid' | 'timestamptz' | 'bigint'

/** One projected column. */
export interface FieldRule {
  column: string
  type: ValueType
  merge: MergeKind
  /** The event's value, or null when the event says nothing about this column. */
  from: (event: ProjectedEvent) => string | null
}

/** One projection table and its rules. */
export interface ProjectionRules {
  table: 'workflow_state' | 'agent_sessions'
  /** The row an event belongs to; events without one are not in this projection. */
  key: { column: string; from: (event: ProjectedEvent) => string | null }
  /** Columns holding the (occurred_at, position) of the earliest event, for `first` rules. */
  firstKey?: readonly [string, string]
  /** Columns holding the (occurred_at, position) of the latest event, for `last` rules. */
  lastKey?: readonly [string, string]
  fields: readonly FieldRule[]
}

function rule(
  column: string,
  type: ValueType,
  merge: MergeKind,
  from: (event: ProjectedEvent) => string | null = () => null,
): FieldRule {
  return { column, type, merge, from }
}

/**
 * `workflow_state`: one row per `payload.workflow_id` (or CloudEvents `data.lifecycle_id`).
 * `status` is a generated column: `last_status_if_first` while the latest event is also the
 * earliest, `last_status` otherwise.
 */
export const WORKFLOW_STATE_RULES: ProjectionRules = {
  table: 'workflow_state',
  key: { column: 'workflow_id', from: (e) => e.workflowId },
  firstKey: ['started_at', 'first_position'],
  lastKey: ['updated_at', 'last_position'],
  fields: [
    //   column                  type           merge          from
    rule('workflow_type',        'text',        'lastNonNull', (e) => e.facts.workflowType),
    rule('current_phase',        'text',        'lastNonNull', (e) => e.facts.phase),
    rule('current_agent',        'text',        'lastNonNull', currentAgent),
    rule('started_at',           'timestamptz', 'least',       (e) => e.occurredAt),
    rule('first_position',       'bigint',      'first',       (e) => e.position),
    rule('updated_at',           'timestamptz', 'greatest',    (e) => e.occurredAt),
    rule('last_position',        'bigint',      'last',        (e) => e.position),
    rule('last_event_id',        'uuid',        'last',        (e) => e.eventId),
    rule('last_event_type',      'text',        'last',        (e) => e.eventType),
    rule('last_status',          'text',        'last',        (e) => workflowStatus(e).later),
    rule('last_status_if_first', 'text',        'last',        (e) => workflowStatus(e).first),
    rule('completed_at',         'timestamptz', 'last',        finishedAt),
    rule('event_count',          'bigint',      'count'),
    rule('session_ids',          'text',        'union',       (e) => e.sessionId),
    rule('checkpoint_ids',       'text',        'union',       (e) => e.facts.checkpointId),
  ],
}

/**
 * `agent_sessions`: one row per session id (from `agent_context.session_id`, `instance_id`,
 * top-level `session_id`, `payload.session_key`, CloudEvents `data.session_id` or
 * `correlationid`, in that order). `status` is a generated column: `lifecycle_status`, or
 * `active` before any lifecycle event.
 */
export const AGENT_SESSIONS_RULES: ProjectionRules = {
  table: 'agent_sessions',
  key: { column: 'session_id', from: (e) => e.sessionId },
  fields: [
    //   column                  type           merge          from
    rule('agent_name',           'text',        'lastNonNull', (e) => e.agentName),
    rule('agent_type',           'text',        'lastNonNull', (e) => e.facts.agentType),
    rule('workflow_id',          'text',        'lastNonNull', (e) => e.workflowId),
    rule('latest_checkpoint',    'text',        'lastNonNull', (e) => e.facts.checkpointId),
    rule('lifecycle_status',     'text',        'lastNonNull', (e) => sessionLifecycle(e)),
    rule('first_seen_at',        'timestamptz', 'least',       (e) => e.occurredAt),
    rule('last_seen_at',         'timestamptz', 'greatest',    (e) => e.occurredAt),
    rule('event_count',          'bigint',      'count'),
  ],
}

/** Both projections, in the order every writer applies them (one lock order, no deadlocks). */
export const PROJECTIONS: readonly ProjectionRules[] = [WORKFLOW_STATE_RULES, AGENT_SESSIONS_RULES]

/**
 * The workflow status an event type's last word sets when the body has no explicit status:
 * for the workflow's first event, and for any later one. Other words set `in_progress`.
 */
export const WORKFLOW_STATUS_BY_WORD: ReadonlyMap<string, { first: string; later: string }> =
  new Map([
    ['started', { first: 'initiated', later: 'in_progress' }],
    ['created', { first: 'initiated', later: 'in_progress' }],
    ['completed', { first: 'completed', later: 'completed' }],
    ['succeeded', { first: 'completed', later: 'completed' }],
    ['failed', { first: 'failed', later: 'failed' }],
    ['error', { first: 'failed', later: 'failed' }],
  ])

export const DEFAULT_WORKFLOW_STATUS = 'in_progress'

/** Statuses after which a workflow has a `completed_at` (the time of the event that set it). */
export const FINISHED_WORKFLOW_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed'])

/**
 * Lifecycle events of a session, by the last word of their type. Every other event counts
 * towards the session but leaves its status as it was.
 */
export const SESSION_LIFECYCLE_BY_WORD: ReadonlyMap<string, string> = new Map([
  ['started', 'active'],
  ['created', 'active'],
  ['ended', 'ended'],
  ['completed', 'ended'],
  ['stopped', 'ended'],
  ['failed', 'ended'],
])

/** The event type whose `handoffTo` names the workflow's new current agent. */
export const HANDOFF_ACCEPTED_TYPE = 'agent.handoff.accepted'

/** The last word of an event type, lowercased: `bmad.workflow.phase.completed` → `completed`. */
export function lastWord(eventType: string): string {
  const words = eventType.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)
  return words.at(-1) ?? ''
}

function workflowStatus(event: ProjectedEvent): { first: string; later: string } {
  const explicit = event.facts.status
  if (explicit) return { first: explicit, later: explicit }

  const byWord = WORKFLOW_STATUS_BY_WORD.get(lastWord(event.eventType))
  return byWord ?? { first: DEFAULT_WORKFLOW_STATUS, later: DEFAULT_WORKFLOW_STATUS }
}

function finishedAt(event: ProjectedEvent): string | null {
  return FINISHED_WORKFLOW_STATUSES.has(workflowStatus(event).later) ? event.occurredAt : null
}

function currentAgent(event: ProjectedEvent): string | null {
  const handoff = event.eventType === HANDOFF_ACCEPTED_TYPE ? event.facts.handoffTo : null
  return handoff ?? event.facts.actingAgent
}

function sessionLifecycle(event: ProjectedEvent): string | null {
  return SESSION_LIFECYCLE_BY_WORD.get(lastWord(event.eventType)) ?? null
}
