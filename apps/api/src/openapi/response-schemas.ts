import { z } from 'zod'

/** Shapes of responses, for the OpenAPI document only: responses are rendered as text. */

const json = z.record(z.string(), z.unknown())

export const EventView = z
  .object({
    event_id: z.uuid(),
    event_type: z.string(),
    routing_key: z.string(),
    position: z.int().meta({ description: 'Global commit order.' }),
    timestamp: z
      .string()
      .meta({ format: 'date-time', description: 'UTC, always six fractional digits.' }),
    version: z.string().meta({ description: 'As sent; "1.0.0" when absent.' }),
    source: json.meta({ description: 'Always an object; a string source s becomes {"app": s}.' }),
    correlation_ids: z.array(z.uuid()).meta({ description: 'Every causation parent.' }),
    correlation_id: z.string().nullable().meta({ description: 'Chain or session id.' }),
    agent_context: json.nullable(),
    payload: z.unknown().meta({ description: 'Numbers keep every digit.' }),
    format: z.enum([
      'envelope_v1',
      'envelope_v1_service',
      'flat_service',
      'legacy_v0',
      'tool_mutation',
      'cloudevents',
    ]),
    flags: z.array(z.string()).meta({ description: 'Repairs made while decoding.' }),
    received_at: z.string().meta({ format: 'date-time' }),
  })
  .meta({ description: 'An event in the v1 shape, whatever shape it arrived in.' })

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    code: z.string(),
    detail: z.string(),
    param: z.string().optional().meta({ description: 'The request parameter at fault.' }),
  })
  .meta({ description: 'RFC 9457 problem details (application/problem+json).' })

export const StatsResponse = z.object({
  bucket: z.enum(['minute', 'hour', 'day']),
  start_time: z.string().meta({ format: 'date-time' }),
  end_time: z.string().meta({ format: 'date-time' }),
  series: z.array(
    z.object({
      key: z.string().nullable(),
      counts: z.array(z.object({ t: z.string().meta({ format: 'date-time' }), n: z.int() })),
    }),
  ),
})

/** The query of `WS /events/stream`, as the stream checks it before the upgrade. */
export const StreamQuery = z.object({
  event_type: z.string().optional().meta({ description: 'Exact types or patterns, as /events.' }),
  routing_key: z.string().optional(),
  workflow_id: z.string().optional(),
  session_id: z.string().optional(),
  correlation_id: z.string().optional(),
  from: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional()
    .meta({ description: 'Replay stored events after this position, then go live.' }),
  token: z.string().optional().meta({ description: 'API token, for clients without headers.' }),
})
