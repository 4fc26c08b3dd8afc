export { createDatabase } from './database.js'
export {
  MIGRATIONS_DIR,
  ensureDatabase,
  migrateDown,
  migrateUp,
  quoteIdent,
  readMigrations,
  type Migration,
  type MigrationResult,
} from './migrate.js'
export { createClient, createPool, type PoolOptions } from './pool.js'
export type {
  AgentSessionsTable,
  Database,
  EventsTable,
  Int8,
  Timestamp,
  WorkflowStateTable,
} from './schema.js'
