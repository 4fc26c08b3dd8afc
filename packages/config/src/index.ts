export {
  ConfigError,
  ConfigSchema,
  DEFAULT_INGEST_BATCH_MAX_WAIT_MS,
  DEFAULT_INGEST_BATCH_SIZE,
  DEFAULT_INGEST_PREFETCH,
  loadConfig,
  loadConfigOrExit,
  redactUrl,
  type Config,
} from './config.js'
export { createLogger, type Logger } from './logger.js'
