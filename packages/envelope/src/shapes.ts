/**
 * @module The body shapes of DESIGN section 2 as zod schemas. They document what producers
 * send; `decode` itself reads fields by hand, because it must also store bodies that break
 * these schemas (a missing id, a number where text belongs) and must stay fast.
 */
import { z } from 'zod'

import type { EventFormat } from './types.js'

/** `source` of an envelope: `{host, type, app, meta}` or a bare string such as `"cli/claude"`. */
export const EnvelopeSource = z.union([
  z.looseObject({
    host: z.string().optional(),
    type: z.string().optional(),
    app: z.string().optional(),
    meta: z.record(z.string(), z.unknown()).optional(),
  }),
  z.string(),
])
export type EnvelopeSource = z.infer<typeof EnvelopeSource>

/** `agent_context` of an envelope; the agent session is `session_id` or `instance_id`. */
export const AgentContext = z.looseObject({
  type: z.string().nullish(),
  name: z.string().nullish(),
  session_id: z.string().nullish(),
  instance_id: z.string().nullish(),
  checkpoint_id: z.string().nullish(),
})
export type AgentContext = z.infer<typeof AgentContext>

/** Envelope v1, most traffic: parents in `correlation_ids`. */
export const EnvelopeV1 = z.looseObject({
  event_id: z.string(),
  event_type: z.string(),
  timestamp: z.string(),
  version: z.string().optional(),
  source: EnvelopeSource.optional(),
  correlation_ids: z.array(z.string()).optional(),
  correlation_id: z.string().nullish(),
  agent_context: AgentContext.nullish(),
  payload: z.unknown(),
})
export type EnvelopeV1 = z.infer<typeof EnvelopeV1>

/** Envelope v1, service style: one parent in `causation_id`, the chain in `correlation_id`. */
export const EnvelopeV1Service = z.looseObject({
  event_id: z.string(),
  event_type: z.string(),
  timestamp: z.string(),
  version: z.string().optional(),
  source: EnvelopeSource.optional(),
  correlation_id: z.string().nullish(),
  causation_id: z.string().nullish(),
  payload: z.unknown(),
})
export type EnvelopeV1Service = z.infer<typeof EnvelopeV1Service>

/** Flat service event: no causation, the session at top level, time often without a zone. */
export const FlatServiceEvent = z.looseObject({
  event_id: z.string(),
  event_type: z.string(),
  timestamp: z.string(),
  source: EnvelopeSource.optional(),
  session_id: z.string().nullish(),
  target: z.string().nullish(),
  payload: z.unknown(),
})
export type FlatServiceEvent = z.infer<typeof FlatServiceEvent>

/** Legacy v0, the oldest envelope: `id`, `ts`, `data`, and the parent in `correlation_id`. */
export const LegacyV0 = z.looseObject({
  id: z.union([z.string(), z.number()]),
  event_type: z.string().optional(),
  ts: z.union([z.string(), z.number()]).optional(),
  source: EnvelopeSource.optional(),
  correlation_id: z.string().nullish(),
  data: z.unknown(),
})
export type LegacyV0 = z.infer<typeof LegacyV0>

/** Tool mutation: no envelope and no id; the whole body is the payload. */
export const ToolMutation = z.looseObject({
  event_type: z.string(),
  timestamp: z.string().optional(),
  correlation_id: z.string().nullish(),
})
export type ToolMutation = z.infer<typeof ToolMutation>

/** CloudEvents 1.0 in structured JSON mode, as Bloodbank's NATS generation sends them. */
export const CloudEvent = z.looseObject({
  specversion: z.string(),
  id: z.string(),
  source: z.string(),
  type: z.string(),
  time: z.string().optional(),
  datacontenttype: z.string().optional(),
  correlationid: z.string().optional(),
  causationid: z.string().optional(),
  producer: z.string().optional(),
  service: z.string().optional(),
  actor: z
    .looseObject({ type: z.string().optional(), agent_id: z.string().optional() })
    .optional(),
  data: z.unknown(),
})
export type CloudEvent = z.infer<typeof CloudEvent>

/** Any JSON object: what the `unknown` format stores. */
export const UnknownObject = z.looseObject({})
export type UnknownObject = z.infer<typeof UnknownObject>

/** The schema that documents each format. */
export const ShapeSchemas: Readonly<Record<EventFormat, z.ZodType>> = {
  envelope_v1: EnvelopeV1,
  envelope_v1_service: EnvelopeV1Service,
  flat_service: FlatServiceEvent,
  legacy_v0: LegacyV0,
  tool_mutation: ToolMutation,
  cloudevents: CloudEvent,
  unknown: UnknownObject,
}
