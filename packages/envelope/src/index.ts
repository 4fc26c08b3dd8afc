/**
 * @module `@historian/envelope`: Bloodbank message bodies in, stored event rows out, and the v1
 * view of a stored row back out (DESIGN sections 2, 3, 4 and 6).
 */
export { decode } from './decode.js'
export { detectFormat } from './detect-format.js'
export { HISTORIAN_NAMESPACE, deriveEventId, isUuid, toEventUuid } from './event-id.js'
export { sliceTopLevel } from './json-scan.js'
export { renderEventJson } from './render-event.js'
export {
  AgentContext,
  CloudEvent,
  EnvelopeSource,
  EnvelopeV1,
  EnvelopeV1Service,
  FlatServiceEvent,
  LegacyV0,
  ShapeSchemas,
  ToolMutation,
  UnknownObject,
} from './shapes.js'
export { formatTimestamp } from './timestamp.js'
export type {
  AmqpSummary,
  DecodeLimits,
  DecodeResult,
  DecodedEvent,
  EventFormat,
  IncomingMessage,
  ProjectionFacts,
  RefusalReason,
  RepairFlag,
  StoredEventRow,
} from './types.js'
