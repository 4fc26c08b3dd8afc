import { summariseAmqp } from './amqp-summary.js'
import { detectFormat } from './detect-format.js'
import { deriveEventId, toEventUuid } from './event-id.js'
import { sliceTopLevel } from './json-scan.js'
import { asObject, cleanText, fieldOf, idTextOf, textOf, type JsonObject } from './json-value.js'
import { payloadKeys } from './payload-keys.js'
import { flagsOf, repair, type Repairs } from './repairs.js'
import { dateMicros, formatMicros, parseTime } from './timestamp.js'
import type { DecodedEvent, EventFormat, IncomingMessage, ProjectionFacts } from './types.js'

const ID_KEY: Readonly<Record<EventFormat, string | null>> = {
  envelope_v1: 'event_id',
  envelope_v1_service: 'event_id',
  flat_service: 'event_id',
  legacy_v0: 'id',
  tool_mutation: null,
  cloudevents: 'id',
  unknown: 'id',
}

const TIME_KEYS: Readonly<Record<EventFormat, readonly string[]>> = {
  envelope_v1: ['timestamp'],
  envelope_v1_service: ['timestamp'],
  flat_service: ['timestamp'],
  legacy_v0: ['ts'],
  tool_mutation: ['timestamp'],
  cloudevents: ['time'],
  unknown: ['timestamp', 'time', 'ts'],
}

/**
 * @internal Reads every stored field from a parsed body (DESIGN sections 3 and 4).
 *
 * @param body the parsed body
 * @param text the body as text, for the digits of a long numeric id
 * @param nulEscaped whether the text holds a JSON `\u0000` escape
 */
export function readEvent(
  body: JsonObject,
  text: string,
  message: IncomingMessage,
  nulEscaped: boolean,
): DecodedEvent {
  const format = detectFormat(body)
  const repairs: Repairs = { bits: 0 }
  const cloudEvent = format === 'cloudevents'

  const routingKey = cleanText(message.routingKey)
  const exchange = cleanText(message.exchange)
  if (nulEscaped || routingKey !== message.routingKey || exchange !== message.exchange) {
    repair(repairs, 'nul_replaced')
  }

  const eventId = readEventId(body, format, text, message, repairs)
  const eventType = readEventType(body, format) ?? (routingKey === '' ? 'unknown' : routingKey)
  const occurredAt = readOccurredAt(body, format, message, repairs)
  const parentIds = readParentIds(body, format, eventId, repairs)

  const payload = payloadOf(body, format)
  const agentContext = asObject(body.agent_context)
  const actor = cloudEvent ? asObject(body.actor) : null

  const agentName =
    agentFromRoutingKey(routingKey) ??
    textOf(fieldOf(payload, 'agent_name')) ??
    textOf(fieldOf(agentContext, 'name')) ??
    textOf(fieldOf(actor, 'agent_id'))

  return {
    eventId,
    eventType,
    routingKey,
    exchange,
    occurredAt,
    receivedAt: message.receivedAt,
    parentIds,
    correlationId: textOf(body.correlation_id) ?? (cloudEvent ? textOf(body.correlationid) : null),
    workflowId:
      idTextOf(fieldOf(payload, 'workflow_id')) ??
      (cloudEvent ? idTextOf(fieldOf(payload, 'lifecycle_id')) : null),
    sessionId: readSessionId(body, payload, agentContext, cloudEvent),
    agentName,
    sourceApp: readSourceApp(body, cloudEvent),
    format,
    flags: flagsOf(repairs),
    body: message.body,
    amqp: summariseAmqp(message),
    facts: readFacts(payload, agentContext, actor, agentName),
  }
}

function readEventId(
  body: JsonObject,
  format: EventFormat,
  text: string,
  message: IncomingMessage,
  repairs: Repairs,
): string {
  const key = ID_KEY[format]
  const value = key === null ? undefined : body[key]

  let idText: string | null = null
  if (typeof value === 'string' && value !== '') idText = value
  // JSON.parse has already rounded a long number; the source text keeps every digit.
  else if (typeof value === 'number' && key !== null) idText = sliceTopLevel(text).get(key) ?? null

  if (idText === null) {
    repair(repairs, 'id_derived')
    return deriveEventId(message.routingKey, message.body)
  }

  const { id, mapped } = toEventUuid(idText)
  if (mapped) repair(repairs, 'id_mapped')
  return id
}

function readEventType(body: JsonObject, format: EventFormat): string | null {
  if (format === 'cloudevents') return textOf(body.type)
  if (format === 'unknown') return textOf(body.event_type) ?? textOf(body.type)
  return textOf(body.event_type)
}

function readOccurredAt(
  body: JsonObject,
  format: EventFormat,
  message: IncomingMessage,
  repairs: Repairs,
): string {
  for (const key of TIME_KEYS[format]) {
    const parsed = parseTime(body[key])
    if (parsed === null) continue
    if (parsed.naive) repair(repairs, 'time_naive')
    return formatMicros(parsed.micros)
  }

  repair(repairs, 'time_inferred')
  const broker = message.brokerTimestamp
  const micros = (broker ? dateMicros(broker) : null) ?? dateMicros(message.receivedAt)
  if (micros === null) throw new RangeError('receivedAt is not a valid time')
  return formatMicros(micros)
}

function readParentIds(
  body: JsonObject,
  format: EventFormat,
  eventId: string,
  repairs: Repairs,
): string[] {
  const candidates = parentCandidates(body, format)
  const parentIds: string[] = []
  // A Set pays off only for long lists; most events have zero to two parents.
  const seen = candidates.length > 16 ? new Set<string>() : null

  for (const candidate of candidates) {
    // A numeric parent names an event whose numeric id was mapped from its text (`readEventId`);
    // beyond 2^53 the parsed number no longer has that text, so such a parent cannot be linked.
    const text = Number.isSafeInteger(candidate) ? String(candidate) : candidate
    if (typeof text !== 'string' || text === '') continue

    const { id, mapped } = toEventUuid(text)
    if (id === eventId || (seen === null ? parentIds.includes(id) : seen.has(id))) continue
    seen?.add(id)
    if (mapped) repair(repairs, 'parent_id_mapped')
    parentIds.push(id)
  }

  return parentIds
}

/** Parent id values in order: the shape's causation field first, then a `correlation_ids` list. */
function parentCandidates(body: JsonObject, format: EventFormat): readonly unknown[] {
  if (format === 'cloudevents') return [cloudEventCausation(body)]
  if (format === 'legacy_v0' || format === 'tool_mutation') return [body.correlation_id]

  const listed = body.correlation_ids
  return [body.causation_id].concat(Array.isArray(listed) ? listed : [listed])
}

/** A `causationid` equal to the `correlationid` marks the root of a chain, not a parent. */
function cloudEventCausation(body: JsonObject): unknown {
  const causation = body.causationid
  const correlation = body.correlationid
  if (typeof causation !== 'string' || typeof correlation !== 'string') return causation
  return toEventUuid(causation).id === toEventUuid(correlation).id ? undefined : causation
}

function payloadOf(body: JsonObject, format: EventFormat): JsonObject | null {
  const [first, second] = payloadKeys(format)
  if (Object.hasOwn(body, first)) return asObject(body[first])
  if (Object.hasOwn(body, second)) return asObject(body[second])
  return body
}

function readSessionId(
  body: JsonObject,
  payload: JsonObject | null,
  agentContext: JsonObject | null,
  cloudEvent: boolean,
): string | null {
  const sessionId =
    idTextOf(fieldOf(agentContext, 'session_id')) ??
    idTextOf(fieldOf(agentContext, 'instance_id')) ??
    idTextOf(body.session_id) ??
    idTextOf(fieldOf(payload, 'session_key'))
  if (sessionId !== null || !cloudEvent) return sessionId

  return idTextOf(fieldOf(payload, 'session_id')) ?? textOf(body.correlationid)
}

/** `agent.<name>.<more>`: the second of at least three segments. */
function agentFromRoutingKey(routingKey: string): string | null {
  const prefix = 'agent.'
  if (!routingKey.startsWith(prefix)) return null

  const end = routingKey.indexOf('.', prefix.length)
  if (end <= prefix.length || end === routingKey.length - 1) return null
  return routingKey.slice(prefix.length, end)
}

function readSourceApp(body: JsonObject, cloudEvent: boolean): string | null {
  const source = body.source
  const app = typeof source === 'string' ? textOf(source) : textOf(fieldOf(asObject(source), 'app'))
  if (!cloudEvent) return app

  return textOf(body.producer) ?? textOf(body.service) ?? app
}

function readFacts(
  payload: JsonObject | null,
  agentContext: JsonObject | null,
  actor: JsonObject | null,
  agentName: string | null,
): ProjectionFacts {
  return {
    workflowType: textOf(fieldOf(payload, 'workflow_type')),
    status: textOf(fieldOf(payload, 'status')),
    phase: textOf(fieldOf(payload, 'phase')) ?? textOf(fieldOf(payload, 'current_phase')),
    checkpointId:
      idTextOf(fieldOf(agentContext, 'checkpoint_id')) ??
      idTextOf(fieldOf(payload, 'checkpoint_id')),
    agentType: textOf(fieldOf(agentContext, 'type')) ?? textOf(fieldOf(actor, 'type')),
    actingAgent:
      textOf(fieldOf(agentContext, 'name')) ?? textOf(fieldOf(payload, 'agent_name')) ?? agentName,
    handoffTo:
      textOf(fieldOf(payload, 'to_agent')) ??
      textOf(fieldOf(payload, 'target_agent')) ??
      textOf(fieldOf(payload, 'agent')),
  }
}
