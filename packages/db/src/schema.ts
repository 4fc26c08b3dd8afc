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

export interface SchemaMigrationsTable {
  version: string
  applied_at: Generated<Timestamp>
}

/** The Kysely view of the Historian's database. Later migrations add their tables here. */
export interface Database {
  events: EventsTable
  event_types: EventTypesTable
  schema_migrations: SchemaMigrationsTable
}
