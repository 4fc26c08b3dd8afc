import { describe, expect, it } from 'vitest'

import { decode } from './decode.js'
import { renderEventJson } from './render-event.js'
import {
  DEFAULT_LIMITS,
  fixtureMessage,
  incoming,
  readManifest,
  storedRowOf,
} from './spec-support.js'
import type { IncomingMessage, StoredEventRow } from './types.js'

const V1_FIELDS = [
  'event_id',
  'event_type',
  'routing_key',
  'position',
  'timestamp',
  'version',
  'source',
  'correlation_ids',
  'correlation_id',
  'agent_context',
  'payload',
  'format',
  'flags',
  'received_at',
]

/** The row the ingest would write for a message, as Postgres would read it back. */
function rowFor(message: IncomingMessage, position: StoredEventRow['position'] = '7') {
  const result = decode(message, DEFAULT_LIMITS)
  if (!result.ok) throw new Error(result.detail)
  return storedRowOf(result.event, position)
}

function rendered(body: string | object, routingKey = 'test.event'): Record<string, unknown> {
  const json = renderEventJson(rowFor(incoming(body, { routingKey })))
  return JSON.parse(json) as Record<string, unknown>
}

describe('renderEventJson', () => {
  it('writes the v1 fields in order for every stored sample', () => {
    for (const item of readManifest().filter((entry) => entry.expect !== 'refuse')) {
      const view = JSON.parse(renderEventJson(rowFor(fixtureMessage(item)))) as object

      expect(Object.keys(view), item.file).toEqual(V1_FIELDS)
    }
  })

  it('renders envelope v1 fields from the columns and the body', () => {
    const body = {
      event_id: '0017e8b2-29ec-4fa2-9467-77f636830a19',
      event_type: 'fireflies.transcript.ready',
      timestamp: '2026-03-02T14:41:52.007004Z',
      version: '1.0.0',
      source: { host: 'n8n-01', app: 'fireflies-webhook', meta: {} },
      correlation_ids: ['df20a023-7c4a-5a58-b422-219e4de08ad0'],
      agent_context: { name: 'Builder', instance_id: 'sess-1' },
      payload: { title: 'Weekly sync' },
    }

    expect(rendered(body, 'fireflies.transcript.ready')).toEqual({
      event_id: '0017e8b2-29ec-4fa2-9467-77f636830a19',
      event_type: 'fireflies.transcript.ready',
      routing_key: 'fireflies.transcript.ready',
      position: 7,
      timestamp: '2026-03-02T14:41:52.007004Z',
      version: '1.0.0',
      source: body.source,
      correlation_ids: ['df20a023-7c4a-5a58-b422-219e4de08ad0'],
      correlation_id: null,
      agent_context: body.agent_context,
      payload: body.payload,
      format: 'envelope_v1',
      flags: [],
      received_at: '2026-06-01T12:00:00.123000Z',
    })
  })

  it('keeps every digit of big integers and long decimals', () => {
    const body =
      '{"event_id":"e54324d6-c287-4357-8cb8-bea9a6e34404","event_type":"x",' +
      '"timestamp":"2026-03-02T14:03:11Z","payload":{"big": 12345678901234567890,' +
      '"f": 0.1000000000000000055511151231257827, "list": [9007199254740993, 1e400]}}'

    const json = renderEventJson(rowFor(incoming(body)))

    expect(json).toContain(
      '"payload":{"big": 12345678901234567890,"f": 0.1000000000000000055511151231257827,' +
        ' "list": [9007199254740993, 1e400]}',
    )
  })

  it('keeps every digit in a payload made from the rest of the body', () => {
    const body =
      '{"event_type":"tool.mutation.edit","timestamp":"2026-02-20T16:40:02.417Z",' +
      '"lines": 12345678901234567890, "ratio": 0.1000000000000000055511151231257827,' +
      '"correlation_id":"b7103c6c-0da5-4add-8679-25817315f5e7","source_pid":48211}'

    const json = renderEventJson(rowFor(incoming(body)))

    expect(json).toContain(
      '"payload":{"lines":12345678901234567890,' +
        '"ratio":0.1000000000000000055511151231257827,"source_pid":48211}',
    )
  })

  it('writes the position as a JSON number from a string, number or bigint', () => {
    const row = rowFor(incoming({ event_type: 'x' }))

    expect(renderEventJson({ ...row, position: '9007199254740993' })).toContain(
      '"position":9007199254740993,',
    )
    expect(renderEventJson({ ...row, position: 9007199254740993n })).toContain(
      '"position":9007199254740993,',
    )
    expect(renderEventJson({ ...row, position: 12 })).toContain('"position":12,')
    expect(() => renderEventJson({ ...row, position: 'abc' })).toThrow(RangeError)
  })

  it('formats times from Postgres text, ISO text or a Date with six digits', () => {
    const row = rowFor(incoming({ event_type: 'x' }))
    const view = (occurred_at: string | Date, received_at: string | Date) =>
      JSON.parse(renderEventJson({ ...row, occurred_at, received_at })) as Record<string, unknown>

    expect(view('2026-03-02 14:03:11.482913+00', '2026-03-02 14:03:11+00')).toMatchObject({
      timestamp: '2026-03-02T14:03:11.482913Z',
      received_at: '2026-03-02T14:03:11.000000Z',
    })
    expect(view('2026-03-02 14:03:11.5+00', new Date('2026-03-02T14:03:12.25Z'))).toMatchObject({
      timestamp: '2026-03-02T14:03:11.500000Z',
      received_at: '2026-03-02T14:03:12.250000Z',
    })
    expect(view('2026-03-02T14:03:11.4829135Z', '2026-03-02T14:03:11Z')).toMatchObject({
      timestamp: '2026-03-02T14:03:11.482914Z',
    })
  })

  it('keeps a string version and defaults to 1.0.0 otherwise', () => {
    expect(rendered({ event_type: 'x', version: '1.0' }).version).toBe('1.0')
    expect(rendered({ event_type: 'x' }).version).toBe('1.0.0')
    expect(rendered({ event_type: 'x', version: 2 }).version).toBe('1.0.0')
  })

  it('turns a string source into an object and a missing one into {}', () => {
    expect(rendered({ event_type: 'x', source: 'command-adapter' }).source).toEqual({
      app: 'command-adapter',
    })
    expect(rendered({ event_type: 'x' }).source).toEqual({})
    expect(rendered({ event_type: 'x', source: null }).source).toEqual({})
  })

  it('renders a CloudEvents source as its URI plus producer and service', () => {
    const base = { specversion: '1.0', id: 'ce-1', type: 'x', source: 'urn:33god:agent:cc' }

    expect(rendered({ ...base, producer: 'claude-code', service: 'svc' }).source).toEqual({
      uri: 'urn:33god:agent:cc',
      producer: 'claude-code',
      service: 'svc',
    })
    expect(rendered(base).source).toEqual({ uri: 'urn:33god:agent:cc' })
  })

  it('renders the parents and chain id of every shape from the columns', () => {
    const ce = rendered({
      specversion: '1.0',
      id: 'ce-2',
      type: 'x',
      source: 'urn:x',
      correlationid: 'chain',
      causationid: 'df20a023-7c4a-5a58-b422-219e4de08ad0',
      data: { a: 1 },
    })

    expect(ce).toMatchObject({
      correlation_ids: ['df20a023-7c4a-5a58-b422-219e4de08ad0'],
      correlation_id: 'chain',
      payload: { a: 1 },
      format: 'cloudevents',
      flags: ['id_mapped', 'time_inferred'],
    })
  })

  it('renders agent_context as sent, or null', () => {
    expect(rendered({ event_id: 'e', agent_context: { name: 'A', x: [1] } }).agent_context)
      .toEqual({ name: 'A', x: [1] })
    expect(rendered({ event_id: 'e', agent_context: null }).agent_context).toBeNull()
    expect(rendered({ event_id: 'e' }).agent_context).toBeNull()
  })

  it('takes the payload from payload, then data, then the rest of the body', () => {
    expect(rendered({ event_id: 'e', payload: { p: 1 }, data: { d: 1 } }).payload).toEqual({ p: 1 })
    expect(rendered({ id: 'e', ts: '2026-03-02T14:03:11Z', data: { d: 1 } }).payload).toEqual({
      d: 1,
    })
    expect(rendered({ event_id: 'e', payload: null }).payload).toBeNull()

    const rest = rendered({
      event_type: 'x',
      timestamp: '2026-03-02T14:03:11Z',
      source: 's',
      correlation_id: 'c',
      tool_name: 'Edit',
      repo: { branch: 'main' },
    })
    expect(rest.payload).toEqual({ tool_name: 'Edit', repo: { branch: 'main' } })
  })

  it('uses the last value of a duplicate key, as the stored JSON means', () => {
    const body = '{"event_type":"x","payload":{"a":1},"payload":{"a":2}}'

    expect(rendered(body).payload).toEqual({ a: 2 })
  })

  it('writes \\u0000 from the body as \\ufffd when the row is flagged', () => {
    const body =
      '{"event_id":"e","event_type":"x","timestamp":"2026-03-02T14:03:11Z",' +
      '"source":"s\\u0000","agent_context":{"name":"a\\u0000"},' +
      '"payload":{"text":"a\\u0000b","path":"C:\\\\u0000"}}'

    const row = rowFor(incoming(body))
    const json = renderEventJson(row)
    const view = JSON.parse(json) as Record<string, Record<string, unknown>>

    expect(row.flags).toContain('nul_replaced')
    expect(json).not.toMatch(/(^|[^\\])(\\\\)*\\u0000/)
    expect(view.payload).toEqual({ text: 'a\ufffdb', path: 'C:\\u0000' })
    expect(view.source).toEqual({ app: 's\ufffd' })
    expect(view.agent_context).toEqual({ name: 'a\ufffd' })
  })

  it('also replaces NUL in keys of a payload made from the rest of the body', () => {
    const body = '{"event_type":"x","k\\u0000":"v"}'

    expect(rendered(body).payload).toEqual({ 'k\ufffd': 'v' })
  })

  it('appends extras with their raw JSON values', () => {
    const row = rowFor(incoming({ event_type: 'x' }))

    const json = renderEventJson(row, { depth: '2', children: '[]', note: '"hi"' })

    expect(json.endsWith(',"depth":2,"children":[],"note":"hi"}')).toBe(true)
    expect(Object.keys(JSON.parse(json) as object)).toEqual([
      ...V1_FIELDS,
      'depth',
      'children',
      'note',
    ])
  })

  it('reads a body stored with a leading byte order mark', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"event_id":"e"}')])

    const view = JSON.parse(renderEventJson(rowFor(incoming(body)))) as Record<string, unknown>

    expect(view.payload).toEqual({})
  })

  it('throws when the stored body is not a JSON object', () => {
    const row = rowFor(incoming({ event_type: 'x' }))

    expect(() => renderEventJson({ ...row, body: '[1]' })).toThrow(SyntaxError)
  })
})
