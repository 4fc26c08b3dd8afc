import { z } from 'zod'

const MiB = 1024 * 1024

/** Defaults chosen by measurement (see the README's performance section). */
export const DEFAULT_INGEST_PREFETCH = 3000
export const DEFAULT_INGEST_BATCH_SIZE = 1000
export const DEFAULT_INGEST_BATCH_MAX_WAIT_MS = 50

const port = z.coerce.number().int().min(0).max(65535)
const positiveInt = z.coerce.number().int().positive()
const list = z
  .string()
  .default('')
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))

const postgresUrl = z.string().refine((value) => /^postgres(ql)?:\/\//.test(value), {
  message: 'must be a postgres:// URL',
})
const amqpUrl = z.string().refine((value) => /^amqps?:\/\//.test(value), {
  message: 'must be an amqp:// URL',
})

/** Every environment variable of DESIGN section 8, with defaults that work on localhost. */
export const ConfigSchema = z.object({
  DATABASE_URL: postgresUrl.default('postgres://postgres@localhost:5432/historian'),
  RABBITMQ_URL: amqpUrl.default('amqp://guest:guest@localhost:5672'),
  BLOODBANK_EXCHANGE: z.string().min(1).default('bloodbank.events.v1'),
  EVENT_STORE_MANAGER_QUEUE: z.string().min(1).default('event_store_manager_queue'),
  EVENT_STORE_MANAGER_DLQ: z.string().min(1).default('event_store_manager_dlq'),
  EVENT_STORE_MANAGER_HOST: z.string().min(1).default('0.0.0.0'),
  EVENT_STORE_MANAGER_PORT: port.default(8080),
  INGEST_PORT: port.default(8081),
  INGEST_PREFETCH: positiveInt.max(65535).default(DEFAULT_INGEST_PREFETCH),
  INGEST_BATCH_SIZE: positiveInt.default(DEFAULT_INGEST_BATCH_SIZE),
  INGEST_BATCH_MAX_WAIT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(DEFAULT_INGEST_BATCH_MAX_WAIT_MS),
  INGEST_MAX_MESSAGE_BYTES: positiveInt.default(16 * MiB),
  INGEST_MAX_INFLIGHT_BYTES: positiveInt.default(64 * MiB),
  INGEST_MAX_JSON_DEPTH: positiveInt.default(4096),
  API_PREFIX: z
    .string()
    .regex(/^\/[A-Za-z0-9/_-]*[A-Za-z0-9_-]$/, 'must start with / and not end with /')
    .default('/api/v1'),
  API_CORS_ORIGINS: list,
  API_DEFAULT_PAGE_SIZE: positiveInt.default(100),
  API_MAX_PAGE_SIZE: positiveInt.default(1000),
  API_MAX_CAUSATION_DEPTH: positiveInt.default(100),
  API_TOKENS: list,
  WS_HEARTBEAT_INTERVAL_SECONDS: z.coerce.number().positive().default(30),
  WS_MAX_CONNECTIONS: positiveInt.default(1000),
  WS_MAX_BUFFERED_BYTES: positiveInt.default(8 * MiB),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
})

export type Config = z.infer<typeof ConfigSchema>

/** Thrown when the environment does not describe a valid configuration. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID'

  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.join('\n')}`)
    this.name = 'ConfigError'
  }
}

/**
 * Reads the configuration from the environment. Empty strings count as unset, so a blank line
 * in a `.env` file falls back to the default rather than failing validation.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {}
  for (const key of Object.keys(ConfigSchema.shape)) {
    const value = env[key]
    if (value !== undefined && value !== '') input[key] = value
  }

  const parsed = ConfigSchema.safeParse(input)
  if (parsed.success) return parsed.data

  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`,
  )
  throw new ConfigError(problems)
}

/** Loads the configuration or prints one line per problem and exits, for process entry points. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    for (const problem of error.problems) process.stderr.write(`config error: ${problem}\n`)
    process.exit(2)
  }
}

/** The URL with its password hidden, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return '<unparseable url>'
  }
}
