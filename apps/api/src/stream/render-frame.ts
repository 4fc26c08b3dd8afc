import type { StreamEventRow } from '@historian/queries'
import type { Logger } from 'pino'

import { eventFrame } from './stream-frames.js'

/**
 * The event frame, or null when the stored row cannot be rendered (a body that is not a JSON
 * object). Such a row is skipped and logged rather than stopping the stream for everyone.
 */
export function renderFrame(row: StreamEventRow, logger: Logger): string | null {
  try {
    return eventFrame(row)
  } catch (err) {
    logger.error({ err, position: row.position }, 'stored event cannot be rendered; skipped')
    return null
  }
}
