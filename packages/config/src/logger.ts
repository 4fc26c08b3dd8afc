import { pino, type Logger } from 'pino'

import type { Config } from './config.js'

/**
 * The root logger of a process. Components take `logger.child({ component })`. The redact
 * paths hide credentials if a URL or header ever reaches a log line.
 */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>,
  name: string,
): Logger {
  const options = {
    name,
    level: config.LOG_LEVEL,
    redact: {
      paths: ['*.password', '*.authorization', 'req.headers.authorization', '*.token'],
      censor: '***',
    },
  }
  if (config.LOG_FORMAT === 'pretty') {
    // Colours only for a terminal: escape codes in a file or a pipe are noise.
    const colorize = process.stdout.isTTY === true
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize } } })
  }
  return pino(options)
}

export type { Logger }
