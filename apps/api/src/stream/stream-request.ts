import type { StreamFilter } from '@historian/queries'
import { z } from 'zod'

import { badParameter } from '../http/api-error.js'
import { queryInput } from '../http/query-input.js'
import { eventTypeParam, textParam } from '../schemas/query-params.js'

/** What a client asked of `WS /events/stream`, validated before the upgrade. */
export interface StreamRequest {
  filter: StreamFilter
  /** Replay the events after this position first; null starts live. */
  from: bigint | null
}

/**
 * Frames carry positions as JSON numbers, which clients read as doubles: a larger position
 * would come back rounded, so it is refused rather than silently changed.
 */
const MAX_POSITION = BigInt(Number.MAX_SAFE_INTEGER)

const positionParam = z
  .string()
  .regex(/^\d+$/, 'must be a position: a whole number from 0, in decimal digits')
  .transform((text) => BigInt(text))
  .refine((position) => position <= MAX_POSITION, `must be at most ${MAX_POSITION}`)

/**
 * The stream's query. Unknown parameters are refused rather than ignored: a misspelt filter
 * would otherwise stream everything, which looks like success.
 */
const streamQuerySchema = z
  .object({
    event_type: eventTypeParam.optional(),
    routing_key: textParam('Exact AMQP routing key.').optional(),
    workflow_id: textParam('Events of this workflow.').optional(),
    session_id: textParam('Agent session id.').optional(),
    correlation_id: textParam('Events whose chain or session id is this.').optional(),
    from: positionParam.optional(),
    token: z.string().optional(),
  })
  .strict()

/**
 * Reads the stream's query parameters.
 *
 * @throws ApiError 400 naming the first parameter at fault.
 */
export function parseStreamRequest(params: URLSearchParams): StreamRequest {
  const parsed = streamQuerySchema.safeParse(queryInput(params))
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue
    if (issue.code === 'unrecognized_keys') {
      const name = issue.keys[0] as string
      throw badParameter(name, `${name}: is not a stream parameter`)
    }
    const param = String(issue.path[0] ?? 'query')
    throw badParameter(param, `${param}: ${issue.message}`)
  }

  const query = parsed.data
  return {
    filter: {
      eventType: query.event_type,
      routingKey: query.routing_key,
      workflowId: query.workflow_id,
      sessionId: query.session_id,
      correlationId: query.correlation_id,
    },
    from: query.from ?? null,
  }
}
