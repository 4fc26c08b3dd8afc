import type { Config } from '@historian/config'
import { z } from 'zod'

import {
  afterParam,
  eventTypeParam,
  limitParam,
  noConflictingAlias,
  offsetParam,
  textParam,
  timeParam,
} from './query-params.js'

/** The query of `GET /events`: filters, all of which must hold, and the page. */
export function eventsQuerySchema(config: Config) {
  return z
    .object({
      workflow_id: textParam('Events of this workflow (`payload.workflow_id`).').optional(),
      correlation_id: textParam('Events whose chain or session id is this.').optional(),
      event_type: eventTypeParam.optional(),
      routing_key: textParam('Exact AMQP routing key.').optional(),
      agent: textParam('Agent name, as in routing key `agent.<name>.…`.').optional(),
      session_id: textParam('Agent session id.').optional(),
      source: textParam('`source.app`, or the whole source when it is a string.').optional(),
      start_time: timeParam.optional().meta({ description: 'Inclusive lower bound.' }),
      end_time: timeParam.optional().meta({ description: 'Exclusive upper bound.' }),
      since: timeParam.optional().meta({ description: 'Alias of `start_time`.' }),
      until: timeParam.optional().meta({ description: 'Alias of `end_time`.' }),
      limit: limitParam(config),
      offset: offsetParam.optional(),
      after: afterParam.optional(),
      order: z
        .enum(['asc', 'desc'])
        .default('desc')
        .meta({ description: 'By event time, ties by position.' }),
    })
    .superRefine(noConflictingAlias('start_time', 'since'))
    .superRefine(noConflictingAlias('end_time', 'until'))
}
