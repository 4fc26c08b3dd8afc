export {
  appendEvents,
  notifyAppended,
  type AppendedEvent,
} from './append-events.js'
export { EVENTS_CHANNEL } from './channel.js'
export {
  EventTypePatternError,
  MAX_EVENT_TYPE_ALTERNATIVES,
  MAX_EVENT_TYPE_LENGTH,
  parseEventTypePattern,
  type EventTypePattern,
} from './event-type-pattern.js'
export { decodeCursor, encodeCursor, type EventCursor } from './cursor.js'
export { AGENT_SESSION_COLUMNS, type AgentSession } from './projections/agent-session.js'
export { applyProjections } from './projections/apply-projections.js'
export { findAgentSession } from './projections/find-agent-session.js'
export { findWorkflowState } from './projections/find-workflow-state.js'
export { listAgentSessions, type AgentSessionFilter } from './projections/list-agent-sessions.js'
export { listWorkflows, type WorkflowFilter } from './projections/list-workflows.js'
export type { ProjectedEvent } from './projections/projected-event.js'
export {
  decodeProjectionCursor,
  encodeProjectionCursor,
  type ProjectionCursor,
} from './projections/projection-cursor.js'
export type { ProjectionPage, ProjectionPageRequest } from './projections/projection-page.js'
export {
  DEFAULT_REBUILD_BATCH_BYTES,
  DEFAULT_REBUILD_BATCH_EVENTS,
  REBUILD_LOCK_KEY,
  RebuildAlreadyRunningError,
  rebuildProjections,
  type RebuildOptions,
  type RebuildProgress,
  type RebuildResult,
} from './projections/rebuild-projections.js'
export {
  AGENT_SESSIONS_RULES,
  WORKFLOW_STATE_RULES,
  type FieldRule,
  type MergeKind,
  type ProjectionRules,
} from './projections/rules.js'
export { WORKFLOW_STATE_COLUMNS, type WorkflowState } from './projections/workflow-state.js'
export { countEvents, STATS_GROUP_COLUMNS } from './events/count-events.js'
export type { StatsBucket, StatsGroupBy, StatsRequest, StatsSeries } from './events/count-events.js'
export type { EventFilter } from './events/event-filter.js'
export type { EventPage, PageRequest } from './events/event-page.js'
export { EVENT_ROW_COLUMNS, type EventRow, type SortOrder } from './events/event-row.js'
export { findEvent } from './events/find-event.js'
export { listAncestors } from './events/list-ancestors.js'
export {
  listCorrelatedEvents,
  type CorrelatedPageRequest,
} from './events/list-correlated-events.js'
export {
  CausationLimitError,
  listDescendants,
  MAX_CAUSATION_EVENTS,
  type CausationNode,
} from './events/list-descendants.js'
export { listEvents } from './events/list-events.js'
export { resolveEventTypes } from './events/resolve-event-types.js'
export { safePosition } from './stream/safe-position.js'
export {
  readStreamPage,
  type StreamEventRow,
  type StreamPage,
  type StreamPageRequest,
} from './stream/read-stream-page.js'
export {
  matchesStreamFilter,
  type StreamFilter,
  type StreamFilterColumns,
} from './stream/stream-filter.js'
