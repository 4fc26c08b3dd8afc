import type { Config } from '@historian/config'
import { z } from 'zod'

import { afterParam, limitParam, offsetParam } from './query-params.js'

/**
 * The query of a page of one group's events, oldest first: a workflow's timeline
 * (`GET /workflows/{id}/timeline`) and a session's events (`GET /agents/{session_id}/events`).
 */
export function eventPageQuerySchema(config: Config) {
  return z.object({
    limit: limitParam(config),
    offset: offsetParam.optional(),
    after: afterParam.optional(),
  })
}
