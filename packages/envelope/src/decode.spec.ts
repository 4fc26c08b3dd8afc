import { describe, expect, it } from 'vitest'

import { decode } from './decode.js'
import { deriveEventId, toEventUuid } from './event-id.js'
import { DEFAULT_LIMITS, RECEIVED_AT, incoming } from './spec-support.js'
import type { DecodedEvent, IncomingMessage } from './types.js'

const EVENT_ID = '9a3c2b1d-5e6f-4a7b-8c9d-0e1f2a3b4c5d'
const PARENT_ID = 'df20a023-7c4a-5a58-b422-219e4de08ad0'

function stored(message: IncomingMessage, limits = DEFAULT_LIMITS): DecodedEvent {
  const result = decode(message, limits)
  if (!result.ok) throw new Error(`refused: ${result.reason} (${result.detail})`)
  return result.event
}

function v1(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: EVENT_ID,
    event_type: 'test.happened',
    timestamp: '2026-03-02T14:03:11.482913Z',
    version: '1.0.0',
    source: { host: 'h', type: 't', app: 'tester', meta: {} },
    correlation_ids: [],
    agent_context: null,
    payload: {},
    ...fields,
  }
}

describe('decode refusals', () => {
  it('refuses a body over the size limit as too_large', () => {
    const body = JSON.stringify(v1())
    const limits = { ...DEFAULT_LIMITS, maxMessageBytes: Buffer.byteLength(body) - 1 }

    const result = decode(incoming(body), limits)

    expect(result).toMatchObject({ ok: false, reason: 'too_large' })
    expect(decode(incoming(body), { ...limits, maxMessageBytes: limits.maxMessageBytes + 1 }).ok)
      .toBe(true)
  })

  it('refuses bytes that are not UTF-8 as invalid_json', () => {
    const invalidSequence = Buffer.from([0xc3, 0x28])
    const body = Buffer.concat([Buffer.from('{"note":"'), invalidSequence, Buffer.from('"}')])

    const result = decode(incoming(body), DEFAULT_LIMITS)

    expect(result).toEqual({ ok: false, reason: 'invalid_json', detail: 'body is not valid UTF-8' })
  })

  it('refuses nesting deeper than the limit as too_deep', () => {
    const body = '{"a":{"b":{"c":{}}}}'

    expect(decode(incoming(body), { ...DEFAULT_LIMITS, maxJsonDepth: 4 }).ok).toBe(true)
    expect(decode(incoming(body), { ...DEFAULT_LIMITS, maxJsonDepth: 3 })).toMatchObject({
      ok: false,
      reason: 'too_deep',
    })
  })

  it('refuses a pathologically deep body before parsing it', () => {
    const body = `{"a":${'['.repeat(500_000)}${']'.repeat(500_000)}}`

    expect(decode(incoming(body), DEFAULT_LIMITS)).toMatchObject({ ok: false, reason: 'too_deep' })
  })

  it('does not count brackets inside strings towards the depth', () => {
    const body = JSON.stringify({ event_type: 'x', note: '[[[[[[[[{{{{{{{{' })

    expect(decode(incoming(body), { ...DEFAULT_LIMITS, maxJsonDepth: 1 }).ok).toBe(true)
  })

  it('refuses text that is not JSON as invalid_json without quoting the body', () => {
    for (const body of ['', '{"event_type":', '{"a":"say "hi""}', "{'a':1}", '{"a":1} trailing']) {
      const result = decode(incoming(body), DEFAULT_LIMITS)

      expect(result, body).toMatchObject({ ok: false, reason: 'invalid_json' })
      if (!result.ok) expect(result.detail).toMatch(/^body is not valid JSON/)
    }
  })

  it('refuses JSON that is not an object as not_an_object', () => {
    const cases: Array<[string, string]> = [
      ['[]', 'body is a JSON array, not an object'],
      ['[{"event_id":"x"}]', 'body is a JSON array, not an object'],
      ['null', 'body is JSON null, not an object'],
      ['42', 'body is a JSON number, not an object'],
      ['"text"', 'body is a JSON string, not an object'],
      ['true', 'body is a JSON boolean, not an object'],
    ]

    for (const [body, detail] of cases) {
      expect(decode(incoming(body), DEFAULT_LIMITS)).toEqual({
        ok: false,
        reason: 'not_an_object',
        detail,
      })
    }
  })
})

describe('decode of each shape', () => {
  it('reads envelope v1 with parents in correlation_ids', () => {
    const event = stored(incoming(v1({ correlation_ids: [PARENT_ID] }), { routingKey: 'a.b' }))

    expect(event).toMatchObject({
      eventId: EVENT_ID,
      eventType: 'test.happened',
      routingKey: 'a.b',
      occurredAt: '2026-03-02T14:03:11.482913Z',
      parentIds: [PARENT_ID],
      correlationId: null,
      sourceApp: 'tester',
      format: 'envelope_v1',
      flags: [],
    })
  })

  it('reads envelope v1 service style with the parent in causation_id', () => {
    const body = {
      event_id: EVENT_ID,
      event_type: 'command.ack',
      timestamp: '2026-02-25T13:40:09.377104+00:00',
      source: 'command-adapter',
      correlation_id: 'chain-1',
      causation_id: PARENT_ID,
      payload: {},
    }

    expect(stored(incoming(body))).toMatchObject({
      format: 'envelope_v1_service',
      parentIds: [PARENT_ID],
      correlationId: 'chain-1',
      sourceApp: 'command-adapter',
      flags: [],
    })
  })

  it('reads a service-style event with correlation_id and no causation as a root', () => {
    const body = { event_id: EVENT_ID, event_type: 'x', correlation_id: 'chain-1', payload: {} }

    expect(stored(incoming(body))).toMatchObject({
      format: 'envelope_v1_service',
      parentIds: [],
      correlationId: 'chain-1',
    })
  })

  it('reads a flat service event with its top-level session_id', () => {
    const body = {
      event_id: EVENT_ID,
      event_type: 'transcription.voice.completed',
      timestamp: '2026-03-06T18:04:11.902331Z',
      source: 'whisperlivekit',
      target: 'tonny',
      session_id: 'voice-1',
      payload: { text: 'hi' },
    }

    expect(stored(incoming(body))).toMatchObject({
      format: 'flat_service',
      sessionId: 'voice-1',
      sourceApp: 'whisperlivekit',
      parentIds: [],
    })
  })

  it('reads legacy v0 from id, ts and data, with the parent in correlation_id', () => {
    const body = {
      id: EVENT_ID,
      ts: '2025-10-15T18:20:31.512345+00:00',
      event_type: 'llm.prompt',
      source: 'cli/claude',
      correlation_id: PARENT_ID,
      data: { workflow_id: 'wf-1', status: 'running' },
    }

    expect(stored(incoming(body))).toMatchObject({
      format: 'legacy_v0',
      eventId: EVENT_ID,
      occurredAt: '2025-10-15T18:20:31.512345Z',
      parentIds: [PARENT_ID],
      correlationId: PARENT_ID,
      workflowId: 'wf-1',
      sourceApp: 'cli/claude',
      facts: { status: 'running' },
    })
  })

  it('reads a tool mutation with a derived id and the whole body as payload', () => {
    const body = {
      event_type: 'tool.mutation.edit',
      timestamp: '2026-02-20T16:40:02.417Z',
      agent_name: 'builder',
      workflow_id: 'wf-7',
      correlation_id: PARENT_ID,
    }
    const message = incoming(body, { routingKey: 'tool.mutation.edit' })

    expect(stored(message)).toMatchObject({
      format: 'tool_mutation',
      eventId: deriveEventId('tool.mutation.edit', message.body),
      parentIds: [PARENT_ID],
      agentName: 'builder',
      workflowId: 'wf-7',
      flags: ['id_derived'],
    })
  })

  it('reads CloudEvents from id, type, time, causationid and data', () => {
    const body = {
      specversion: '1.0',
      id: EVENT_ID,
      source: 'urn:33god:agent:claude-code',
      type: 'bloodbank.v1.agent.tool.requested',
      time: '2026-05-20T08:30:21.015Z',
      correlationid: 'session-9',
      causationid: PARENT_ID,
      service: 'claude-code-service',
      actor: { type: 'agent_cli', agent_id: 'bloodbank.agent.claude' },
      data: { lifecycle_id: 'life-3', tool_name: 'Bash' },
    }

    expect(stored(incoming(body, { routingKey: 'bloodbank.evt.v1.agent.tool.requested' })))
      .toMatchObject({
        format: 'cloudevents',
        eventType: 'bloodbank.v1.agent.tool.requested',
        occurredAt: '2026-05-20T08:30:21.015000Z',
        parentIds: [PARENT_ID],
        correlationId: 'session-9',
        workflowId: 'life-3',
        sessionId: 'session-9',
        agentName: 'bloodbank.agent.claude',
        sourceApp: 'claude-code-service',
        facts: { agentType: 'agent_cli', actingAgent: 'bloodbank.agent.claude' },
      })
  })

  it('treats a CloudEvents causationid equal to its correlationid as a root', () => {
    const body = {
      specversion: '1.0',
      id: EVENT_ID,
      type: 'x',
      source: 'urn:x',
      correlationid: PARENT_ID.toUpperCase(),
      causationid: PARENT_ID,
    }

    expect(stored(incoming(body)).parentIds).toEqual([])
  })

  it('stores an object with no recognisable field as format unknown', () => {
    const event = stored(incoming({ hello: 'world' }, { routingKey: 'misc.thing' }))

    expect(event).toMatchObject({
      format: 'unknown',
      eventType: 'misc.thing',
      flags: ['id_derived', 'time_inferred'],
    })
    expect(event.body.toString('utf8')).toBe('{"hello":"world"}')
  })

  it('stores an id with an event_type but no ts or data as format unknown with its id', () => {
    const body = { id: 'job-5', event_type: 'job.done', timestamp: '2026-03-02T14:03:11Z' }

    expect(stored(incoming(body))).toMatchObject({
      format: 'unknown',
      eventId: toEventUuid('job-5').id,
      eventType: 'job.done',
      occurredAt: '2026-03-02T14:03:11.000000Z',
      flags: ['id_mapped'],
    })
  })
})

describe('decode repairs', () => {
  it('derives a missing, null or empty id from the routing key and body bytes', () => {
    for (const id of [undefined, null, '', { nested: true }]) {
      const message = incoming(v1({ event_id: id }), { routingKey: 'a.b' })
      const event = stored(message)

      expect(event.eventId).toBe(deriveEventId('a.b', message.body))
      expect(event.flags).toEqual(['id_derived'])
    }
  })

  it('derives the same id for an exact redelivery and another on a different routing key', () => {
    const body = '{"event_type":"tool.mutation.edit","timestamp":"2026-02-20T16:40:02Z"}'

    const first = stored(incoming(body, { routingKey: 'tool.mutation.edit' }))
    const again = stored(incoming(body, { routingKey: 'tool.mutation.edit', redelivered: true }))
    const elsewhere = stored(incoming(body, { routingKey: 'tool.mutation.write' }))

    expect(again.eventId).toBe(first.eventId)
    expect(elsewhere.eventId).not.toBe(first.eventId)
  })

  it('maps an id that is not a UUID and lowercases one that is', () => {
    expect(stored(incoming(v1({ event_id: 'wf-42' })))).toMatchObject({
      eventId: toEventUuid('wf-42').id,
      flags: ['id_mapped'],
    })
    expect(stored(incoming(v1({ event_id: EVENT_ID.toUpperCase() })))).toMatchObject({
      eventId: EVENT_ID,
      flags: [],
    })
  })

  it('maps a numeric id from its source digits, not from a rounded double', () => {
    const body = '{"id": 12345678901234567890, "ts": "2026-03-02T14:03:11Z", "data": {}}'

    expect(stored(incoming(body))).toMatchObject({
      format: 'legacy_v0',
      eventId: toEventUuid('12345678901234567890').id,
      flags: ['id_mapped'],
    })
  })

  it('maps parents that are not UUIDs, skips other values, duplicates and the event itself', () => {
    const parents = ['step-1', 42, null, PARENT_ID.toUpperCase(), PARENT_ID, EVENT_ID, '', 'step-1']

    const event = stored(incoming(v1({ correlation_ids: parents })))

    expect(event.parentIds).toEqual([toEventUuid('step-1').id, toEventUuid('42').id, PARENT_ID])
    expect(event.flags).toEqual(['parent_id_mapped'])
  })

  it('links a numeric parent to the event whose numeric id it names', () => {
    const parent = stored(incoming(v1({ event_id: 42 })))
    const child = stored(incoming(v1({ correlation_ids: [42, 1.5, 2 ** 60] })))

    expect(child.parentIds).toEqual([parent.eventId])
  })

  it('decodes a list of 40,000 parents, dropping repeats', () => {
    const uuid = (index: number) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`
    const parents = Array.from({ length: 40_000 }, (_, index) => uuid(index % 20_000))

    const event = stored(incoming(v1({ correlation_ids: parents })))

    expect(event.parentIds).toHaveLength(20_000)
    expect(event.parentIds.slice(0, 2)).toEqual([uuid(0), uuid(1)])
  })

  it('takes the broker timestamp when the time is missing, else the receive time', () => {
    const broker = new Date('2026-03-02T10:00:00.250Z')

    const withBroker = stored(incoming(v1({ timestamp: undefined }), { brokerTimestamp: broker }))
    const withoutBroker = stored(incoming(v1({ timestamp: undefined })))

    expect(withBroker).toMatchObject({
      occurredAt: '2026-03-02T10:00:00.250000Z',
      flags: ['time_inferred'],
    })
    expect(withoutBroker).toMatchObject({
      occurredAt: '2026-06-01T12:00:00.123000Z',
      flags: ['time_inferred'],
    })
  })

  it('skips a broker timestamp that is invalid or outside years 1 to 9999', () => {
    for (const broker of [new Date(Number.NaN), new Date(Date.parse('+012026-01-01T00:00:00Z'))]) {
      expect(stored(incoming(v1({ timestamp: undefined }), { brokerTimestamp: broker })))
        .toMatchObject({ occurredAt: '2026-06-01T12:00:00.123000Z', flags: ['time_inferred'] })
    }
  })

  it('infers the time when it is unparseable or not a real date', () => {
    const unusable = [
      'yesterday',
      '2026-02-30T10:00:00Z',
      '2026-13-01T10:00:00Z',
      '0000-01-01T00:00:00Z',
      true,
    ]

    for (const timestamp of unusable) {
      expect(stored(incoming(v1({ timestamp }))), String(timestamp)).toMatchObject({
        occurredAt: '2026-06-01T12:00:00.123000Z',
        flags: ['time_inferred'],
      })
    }
  })

  it('reads a time without a zone as UTC and flags it', () => {
    expect(stored(incoming(v1({ timestamp: '2026-03-06 18:04:11.902331' })))).toMatchObject({
      occurredAt: '2026-03-06T18:04:11.902331Z',
      flags: ['time_naive'],
    })
  })

  it('reads numeric epoch times', () => {
    expect(stored(incoming(v1({ timestamp: 1772722920001 }))).occurredAt).toBe(
      '2026-03-05T15:02:00.001000Z',
    )
    expect(stored(incoming({ id: 'x', ts: 1772722920, data: {} })).occurredAt).toBe(
      '2026-03-05T15:02:00.000000Z',
    )
  })

  it('replaces NUL in extracted fields, flags it and keeps the body text', () => {
    const body =
      '{"event_id":"' + EVENT_ID + '","event_type":"agent.\\u0000.x",' +
      '"timestamp":"2026-03-02T14:03:11Z","correlation_id":"c\\u0000","payload":{' +
      '"agent_name":"sc\\u0000out","session_key":"s\\u0000","workflow_id":"w\\u0000",' +
      '"status":"ok\\u0000"}}'

    const event = stored(incoming(body))

    expect(event).toMatchObject({
      eventType: 'agent.\ufffd.x',
      correlationId: 'c\ufffd',
      agentName: 'sc\ufffdout',
      sessionId: 's\ufffd',
      workflowId: 'w\ufffd',
      facts: { status: 'ok\ufffd', actingAgent: 'sc\ufffdout' },
      flags: ['nul_replaced'],
    })
    expect(event.body.toString('utf8')).toBe(body)
  })

  it('does not flag an escaped backslash followed by u0000', () => {
    const event = stored(incoming(v1({ payload: { path: 'C:\\u0000' } })))

    expect(event.flags).toEqual([])
    expect(event.body.toString('utf8')).toContain('C:\\\\u0000')
  })

  it('replaces NUL in the routing key too', () => {
    const event = stored(incoming(v1(), { routingKey: 'agent.sc\0out.status' }))

    expect(event).toMatchObject({
      routingKey: 'agent.sc\ufffdout.status',
      agentName: 'sc\ufffdout',
      flags: ['nul_replaced'],
    })
  })

  it('lists several flags in the order of the RepairFlag union', () => {
    const body = JSON.stringify(
      v1({
        event_id: 'evt-1',
        correlation_ids: ['parent-1'],
        timestamp: '2026-03-02T14:03:11',
        payload: { note: '\0' },
      }),
    )

    expect(stored(incoming(body)).flags).toEqual([
      'id_mapped',
      'parent_id_mapped',
      'time_naive',
      'nul_replaced',
    ])
  })
})

describe('decode fields', () => {
  it('falls back to the routing key for the event type, then to unknown', () => {
    expect(stored(incoming(v1({ event_type: undefined }), { routingKey: 'x.y' })).eventType)
      .toBe('x.y')
    expect(stored(incoming(v1({ event_type: 7 }), { routingKey: '' })).eventType).toBe('unknown')
  })

  it('keeps the routing key when the body names a different event type', () => {
    const event = stored(
      incoming(v1({ event_type: 'command.envelope' }), { routingKey: 'command.builder.run' }),
    )

    expect(event).toMatchObject({
      eventType: 'command.envelope',
      routingKey: 'command.builder.run',
    })
  })

  it('reads the session from the first place that has one', () => {
    const context = { session_id: 'ctx-session', instance_id: 'ctx-instance' }
    const payload = { session_key: 'payload-key' }

    expect(stored(incoming(v1({ agent_context: context, payload }))).sessionId).toBe('ctx-session')
    expect(
      stored(incoming(v1({ agent_context: { instance_id: 'ctx-instance' }, payload }))).sessionId,
    ).toBe('ctx-instance')
    expect(stored(incoming(v1({ session_id: 'top', payload }))).sessionId).toBe('top')
    expect(stored(incoming(v1({ payload }))).sessionId).toBe('payload-key')
    expect(stored(incoming(v1())).sessionId).toBeNull()
  })

  it('reads a CloudEvents session from data.session_id, then from correlationid', () => {
    const base = { specversion: '1.0', id: EVENT_ID, type: 'x', source: 'urn:x' }

    expect(
      stored(incoming({ ...base, correlationid: 'corr', data: { session_id: 'data-session' } }))
        .sessionId,
    ).toBe('data-session')
    expect(stored(incoming({ ...base, correlationid: 'corr', data: {} })).sessionId).toBe('corr')
  })

  it('reads the agent from an agent.<name>.<more> routing key before the body', () => {
    const body = v1({ payload: { agent_name: 'payload-agent' }, agent_context: { name: 'ctx' } })

    expect(stored(incoming(body, { routingKey: 'agent.scout.status' })).agentName).toBe('scout')
    expect(stored(incoming(body, { routingKey: 'agent.scout' })).agentName).toBe('payload-agent')
    expect(stored(incoming(v1({ agent_context: { name: 'ctx' } }))).agentName).toBe('ctx')
    expect(stored(incoming(v1())).agentName).toBeNull()
  })

  it('reads the source app from an object, a string, or CloudEvents producer and service', () => {
    const ce = { specversion: '1.0', id: EVENT_ID, type: 'x', source: 'urn:x' }

    expect(stored(incoming(v1({ source: { app: 'obj-app' } }))).sourceApp).toBe('obj-app')
    expect(stored(incoming(v1({ source: 'str-app' }))).sourceApp).toBe('str-app')
    expect(stored(incoming(v1({ source: undefined }))).sourceApp).toBeNull()
    expect(stored(incoming({ ...ce, producer: 'p', service: 's' })).sourceApp).toBe('p')
    expect(stored(incoming({ ...ce, service: 's' })).sourceApp).toBe('s')
    expect(stored(incoming(ce)).sourceApp).toBe('urn:x')
  })

  it('reads ids given as numbers as their text', () => {
    const event = stored(
      incoming(v1({ payload: { workflow_id: 42, checkpoint_id: 7 } })),
    )

    expect(event.workflowId).toBe('42')
    expect(event.facts.checkpointId).toBe('7')
  })

  it('reads the projection facts with their fallbacks', () => {
    const event = stored(
      incoming(
        v1({
          agent_context: { type: 'claude-code', checkpoint_id: 'ckpt-1' },
          payload: {
            workflow_type: 'feature-delivery',
            status: 'in_progress',
            current_phase: 'planning',
            agent_name: 'builder',
            target_agent: 'reviewer',
          },
        }),
      ),
    )

    expect(event.facts).toEqual({
      workflowType: 'feature-delivery',
      status: 'in_progress',
      phase: 'planning',
      checkpointId: 'ckpt-1',
      agentType: 'claude-code',
      actingAgent: 'builder',
      handoffTo: 'reviewer',
    })
  })

  it('leaves facts null when the values are not strings', () => {
    const event = stored(incoming(v1({ payload: { status: 3, phase: {}, to_agent: ['x'] } })))

    expect(event.facts).toMatchObject({ status: null, phase: null, handoffTo: null })
  })

  it('summarises the AMQP properties and x-death header', () => {
    const xDeath = [
      { queue: Buffer.from('events'), reason: 'rejected', count: 2, exchange: 'bloodbank' },
      { queue: 'events', reason: Buffer.from('expired'), count: 1n },
      'not an entry',
    ]

    const event = stored(
      incoming(v1(), { messageId: 'msg-1', redelivered: true, xDeath }),
    )

    expect(event.amqp).toEqual({
      message_id: 'msg-1',
      redelivered: true,
      x_death: [
        { queue: 'events', reason: 'rejected', count: 2 },
        { queue: 'events', reason: 'expired', count: 1 },
      ],
    })
    expect(stored(incoming(v1())).amqp).toEqual({
      message_id: null,
      redelivered: false,
      x_death: null,
    })
  })

  it('keeps the body bytes exactly and carries the receive time', () => {
    const body = '{ "event_type" : "x",\n  "payload": {"name": "Zoë", "n": 1.50} }'

    const event = stored(incoming(body, { exchange: 'ex' }))

    expect(event.body.equals(Buffer.from(body))).toBe(true)
    expect(event).toMatchObject({ exchange: 'ex', receivedAt: RECEIVED_AT })
  })

  it('stores a body with a leading byte order mark and keeps the mark', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(v1()))])

    const event = stored(incoming(body))

    expect(event.eventId).toBe(EVENT_ID)
    expect(event.body.equals(body)).toBe(true)
  })
})
