import type { StreamFilter } from '@historian/queries'
import { z } from 'zod'

import { badParameter } from '../http/api-error.js'
import { eventTypeParam, textParam } from '../schemas/query-params.js'

/** What a client asked of `WS /events/stream`, validated before the upgrade. */
export interface StreamRequest {
  filter: StreamFilter
  /** Replay the events after this position first; null starts live. */
  from: bigint | null
}

const MAX_POSITION = 2n ** 63n - 1n

const positionParam = z
  .string()
  .regex(/^\d{1,19}$/, 'must be a position: a whole number from 0')
  .transform((text) => BigInt(text))
  .refine((position) => position <= MAX_POSITION, 'is beyond the largest position')

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
  const input: Record<string, string> = {}
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name)
    if (values.length > 1) throw badParameter(name, `${name}: give this parameter once`)
    input[name] = values[0] as string
  }

  const parsed = streamQuerySchema.safeParse(input)
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
