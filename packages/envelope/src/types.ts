/** Which body shape an event was decoded from (DESIGN section 2). */
export type EventFormat =
  | 'envelope_v1'
  | 'envelope_v1_service'
  | 'flat_service'
  | 'legacy_v0'
  | 'tool_mutation'
  | 'cloudevents'
  /** A JSON object with none of the fields above; stored all the same. */
  | 'unknown'

/** A repair the decoder made instead of refusing the message (DESIGN section 3). */
export type RepairFlag =
  | 'id_derived'
  | 'id_mapped'
  | 'parent_id_mapped'
  | 'time_inferred'
  | 'time_naive'
  | 'nul_replaced'

/** Why a message was dead-lettered; sent as the `x-historian-reason` header. */
export type RefusalReason =
  | 'invalid_json'
  | 'not_an_object'
  | 'too_large'
  | 'too_deep'
  | 'rejected_by_database'

/** One message as a transport handed it over, before decoding. */
export interface IncomingMessage {
  body: Buffer
  routingKey: string
  exchange: string
  /** Broker-side publish time, when the producer set the AMQP `timestamp` property. */
  brokerTimestamp?: Date | undefined
  messageId?: string | undefined
  redelivered: boolean
  /** `x-death` header as the broker added it, if any. */
  xDeath?: unknown
  receivedAt: Date
}

export interface DecodeLimits {
  maxMessageBytes: number
  maxJsonDepth: number
}

/** Facts the projections read; all optional, all taken from the body. */
export interface ProjectionFacts {
  workflowType: string | null
  /** An explicit `payload.status` (or CloudEvents `data.status`), verbatim. */
  status: string | null
  phase: string | null
  checkpointId: string | null
  agentType: string | null
  /** The agent that acted, for `workflow_state.current_agent`. */
  actingAgent: string | null
  /** `payload.to_agent` (or similar) on an `agent.handoff.accepted`. */
  handoffTo: string | null
}

/** AMQP facts worth keeping next to the event. */
export interface AmqpSummary {
  message_id: string | null
  redelivered: boolean
  x_death: Array<{ queue: string; reason: string; count: number }> | null
}

/** A message that will be stored: its exact body plus every field a query needs. */
export interface DecodedEvent {
  eventId: string
  eventType: string
  routingKey: string
  exchange: string
  /** UTC, always `YYYY-MM-DDTHH:MM:SS.ffffffZ` (rounded to microseconds). */
  occurredAt: string
  receivedAt: Date
  parentIds: string[]
  correlationId: string | null
  workflowId: string | null
  sessionId: string | null
  agentName: string | null
  sourceApp: string | null
  format: EventFormat
  flags: RepairFlag[]
  /**
   * The body exactly as received: bytes that are valid UTF-8 JSON text. Kept as the message's
   * bytes rather than a string so that the ingest sends them to Postgres without re-encoding
   * or escaping them, and holds no large string per event while a batch is in flight.
   */
  body: Buffer
  amqp: AmqpSummary
  facts: ProjectionFacts
}

export type DecodeResult =
  | { ok: true; event: DecodedEvent }
  | { ok: false; reason: RefusalReason; detail: string }

/** The columns of a stored event that the v1 view is rendered from. */
export interface StoredEventRow {
  position: string | number | bigint
  event_id: string
  event_type: string
  routing_key: string
  /** As Postgres prints a timestamptz, or ISO 8601. */
  occurred_at: string | Date
  received_at: string | Date
  parent_ids: string[]
  correlation_id: string | null
  format: string
  flags: string[]
  body: string
}
