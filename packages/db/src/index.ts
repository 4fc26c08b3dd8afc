export { createDatabase } from './database.js'
export {
  databaseName,
  dropDatabase,
  ensureDatabase,
  quoteIdent,
  withDatabase,
} from './database-admin.js'
export {
  MIGRATIONS_DIR,
  migrateDown,
  migrateUp,
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
