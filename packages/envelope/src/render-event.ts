import { replaceNulEscapes, sliceTopLevel } from './json-scan.js'
import { payloadKeys } from './payload-keys.js'
import { formatTimestamp } from './timestamp.js'
import type { StoredEventRow } from './types.js'

/** Top-level fields that belong to an envelope, left out of a payload made from the body. */
const ENVELOPE_FIELDS: ReadonlySet<string> = new Set([
  'event_id',
  'id',
  'event_type',
  'type',
  'timestamp',
  'ts',
  'time',
  'version',
  'source',
  'correlation_id',
  'correlation_ids',
  'causation_id',
  'causationid',
  'correlationid',
  'agent_context',
  'specversion',
])

const DEFAULT_VERSION = '"1.0.0"'

/**
 * Renders a stored event in the v1 shape of DESIGN section 6, as JSON text. Values taken from
 * the body are copied from its source text, never through `JSON.parse`, so numbers beyond 2^53
 * and long decimals keep every digit.
 *
 * Fields, in order: `event_id`, `event_type`, `routing_key`, `position` (a JSON number),
 * `timestamp`, `version` (`"1.0.0"` unless the body has a string), `source` (always an object),
 * `correlation_ids`, `correlation_id`, `agent_context`, `payload`, `format`, `flags`,
 * `received_at`, then each of `extras`. When the row is flagged `nul_replaced`, `\u0000` escapes
 * from the body are written as `\ufffd`.
 *
 * @param extras more members, each value already JSON text (for example `{ depth: '2' }`)
 * @throws SyntaxError when the body is not a JSON object, RangeError on a bad position or time.
 * @example renderEventJson(row, { depth: '1' }) // '{"event_id":"…",…,"depth":1}'
 */
export function renderEventJson(row: StoredEventRow, extras?: Record<string, string>): string {
  const members = sliceTopLevel(row.body)

  let json =
    `{"event_id":${JSON.stringify(row.event_id)}` +
    `,"event_type":${JSON.stringify(row.event_type)}` +
    `,"routing_key":${JSON.stringify(row.routing_key)}` +
    `,"position":${positionText(row.position)}` +
    `,"timestamp":"${formatTimestamp(row.occurred_at)}"` +
    `,"version":${versionText(members.get('version'))}` +
    `,"source":${sourceText(members, row.format)}` +
    `,"correlation_ids":${JSON.stringify(row.parent_ids)}` +
    `,"correlation_id":${JSON.stringify(row.correlation_id)}` +
    `,"agent_context":${objectOrNull(members.get('agent_context'))}` +
    `,"payload":${payloadText(members, row.format)}` +
    `,"format":${JSON.stringify(row.format)}` +
    `,"flags":${JSON.stringify(row.flags)}` +
    `,"received_at":"${formatTimestamp(row.received_at)}"`

  // Escapes produced by JSON.stringify above are preceded by a backslash and stay untouched.
  if (row.flags.includes('nul_replaced')) json = replaceNulEscapes(json)

  if (extras !== undefined) {
    for (const [key, value] of Object.entries(extras)) json += `,${JSON.stringify(key)}:${value}`
  }

  return `${json}}`
}

function positionText(position: string | number | bigint): string {
  const text = typeof position === 'string' ? position.trim() : position.toString()
  if (!/^-?\d+$/.test(text)) throw new RangeError(`position is not an integer: ${text}`)
  return text
}

function versionText(raw: string | undefined): string {
  return raw !== undefined && raw.startsWith('"') ? raw : DEFAULT_VERSION
}

function objectOrNull(raw: string | undefined): string {
  return raw !== undefined && raw.startsWith('{') ? raw : 'null'
}

/** An object source as sent; a string becomes `{"app": s}`, or `{"uri": s}` for CloudEvents. */
function sourceText(members: Map<string, string>, format: string): string {
  const raw = members.get('source')
  if (raw !== undefined && raw.startsWith('{')) return raw

  const text = raw !== undefined && raw.startsWith('"') ? raw : undefined
  if (format !== 'cloudevents') return text === undefined ? '{}' : `{"app":${text}}`

  const parts: string[] = []
  if (text !== undefined) parts.push(`"uri":${text}`)
  for (const key of ['producer', 'service']) {
    const value = members.get(key)
    if (value !== undefined) parts.push(`"${key}":${value}`)
  }
  return `{${parts.join(',')}}`
}

function payloadText(members: Map<string, string>, format: string): string {
  const [first, second] = payloadKeys(format)
  const sent = members.get(first) ?? members.get(second)
  if (sent !== undefined) return sent

  const parts: string[] = []
  for (const [key, value] of members) {
    if (!ENVELOPE_FIELDS.has(key)) parts.push(`${JSON.stringify(key)}:${value}`)
  }
  return `{${parts.join(',')}}`
}
