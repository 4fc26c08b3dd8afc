import type { ColumnType, Generated } from 'kysely'

/**
 * Timestamps are read as the text Postgres prints (the pools run in UTC), because a JavaScript
 * `Date` would drop the microseconds; they are written as ISO 8601 strings.
 */
export type Timestamp = ColumnType<string, string, string>

/** `int8` columns come back from pg as strings; they are written as numbers or bigints. */
export type Int8 = ColumnType<string, number | bigint | string, number | bigint | string>

export interface EventsTable {
  position: ColumnType<string, never, never>
  event_id: string
  event_type: string
  routing_key: string
  exchange: string
  occurred_at: Timestamp
  received_at: Timestamp
  parent_ids: ColumnType<string[], string[] | undefined, string[]>
  correlation_id: string | null
  workflow_id: string | null
  session_id: string | null
  agent_name: string | null
  source_app: string | null
  format: string
  flags: ColumnType<string[], string[] | undefined, string[]>
  body: string
  amqp: ColumnType<unknown, string | null, string | null>
}

/** Every event type stored so far; kept by a statement trigger on `events` (0003). */
export interface EventTypesTable {
  event_type: string
  first_seen: Generated<Timestamp>
}

/**
 * One row per workflow id, derived from `events` (0002). Each `<column>_at` / `_position` pair
 * is the (occurred_at, position) key of the event the value came from; merges compare keys.
 */
export interface WorkflowStateTable {
  workflow_id: string
  workflow_type: string | null
  workflow_type_at: Timestamp | null
  workflow_type_position: Int8 | null
  current_phase: string | null
  current_phase_at: Timestamp | null
  current_phase_position: Int8 | null
  current_agent: string | null
  current_agent_at: Timestamp | null
  current_agent_position: Int8 | null
  started_at: Timestamp
  first_position: Int8
  updated_at: Timestamp
  last_position: Int8
  last_event_id: string
  last_event_type: string
  last_status: string
  last_status_if_first: string
  status: ColumnType<string, never, never>
  completed_at: Timestamp | null
  event_count: Int8
  session_ids: ColumnType<string[], string[] | undefined, string[]>
  checkpoint_ids: ColumnType<string[], string[] | undefined, string[]>
}

/** One row per agent session id, derived from `events` (0002); keys as in `workflow_state`. */
export interface AgentSessionsTable {
  session_id: string
  agent_name: string | null
  agent_name_at: Timestamp | null
  agent_name_position: Int8 | null
  agent_type: string | null
  agent_type_at: Timestamp | null
  agent_type_position: Int8 | null
  workflow_id: string | null
  workflow_id_at: Timestamp | null
  workflow_id_position: Int8 | null
  latest_checkpoint: string | null
  latest_checkpoint_at: Timestamp | null
  latest_checkpoint_position: Int8 | null
  lifecycle_status: string | null
  lifecycle_status_at: Timestamp | null
  lifecycle_status_position: Int8 | null
  status: ColumnType<string, never, never>
  first_seen_at: Timestamp
  last_seen_at: Timestamp
  event_count: Int8
}

export interface SchemaMigrationsTable {
  version: string
  applied_at: Generated<Timestamp>
}

/** The Kysely view of the Historian's database. Later migrations add their tables here. */
export interface Database {
  events: EventsTable
  event_types: EventTypesTable
  workflow_state: WorkflowStateTable
  agent_sessions: AgentSessionsTable
  schema_migrations: SchemaMigrationsTable
}
