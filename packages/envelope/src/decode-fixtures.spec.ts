import { describe, expect, it } from 'vitest'

import { decode } from './decode.js'
import { deriveEventId } from './event-id.js'
import { ShapeSchemas } from './shapes.js'
import { DEFAULT_LIMITS, fixtureMessage, readManifest, type ManifestEntry } from './spec-support.js'
import type { DecodedEvent } from './types.js'

const manifest = readManifest()

function entry(prefix: string): ManifestEntry {
  const found = manifest.find((item) => item.file.startsWith(`${prefix}-`))
  if (found === undefined) throw new Error(`no fixture ${prefix}`)
  return found
}

function decoded(prefix: string): DecodedEvent {
  const result = decode(fixtureMessage(entry(prefix)), DEFAULT_LIMITS)
  if (!result.ok) throw new Error(`fixture ${prefix} refused: ${result.detail}`)
  return result.event
}

function idOf(prefix: string): string {
  return decoded(prefix).eventId
}

describe('every sample in fixtures/bloodbank/manifest.json', () => {
  const cases = manifest.map((item) => [item.file, item] as const)

  it.each(cases)('%s decodes as the manifest says', (_, item) => {
    const message = fixtureMessage(item)
    const result = decode(message, DEFAULT_LIMITS)

    if (item.expect === 'refuse') {
      expect(result.ok).toBe(false)
      if (!result.ok) expect(['invalid_json', 'not_an_object']).toContain(result.reason)
      return
    }

    expect(result.ok).toBe(true)
    if (!result.ok) return
    if (item.event_id !== undefined) expect(result.event.eventId).toBe(item.event_id)
    expect(result.event.flags).toEqual(item.flags ?? [])
    expect(result.event.body.equals(message.body)).toBe(true)
    const parsed: unknown = JSON.parse(result.event.body.toString('utf8'))
    expect(ShapeSchemas[result.event.format].safeParse(parsed).success)
      .toBe(true)
  })
})

describe('facts the samples README lists', () => {
  it('builds the causation tree 01 → 02 → 03, with 04 under both 03 and 02', () => {
    expect(decoded('01').parentIds).toEqual([])
    expect(decoded('02').parentIds).toEqual([idOf('01')])
    expect(decoded('03').parentIds).toEqual([idOf('02')])
    expect(decoded('04').parentIds).toEqual([idOf('03'), idOf('02')])
  })

  it('puts 05, 06 and 07 in one workflow and one session from agent_context.instance_id', () => {
    for (const prefix of ['05', '06', '07']) {
      expect(decoded(prefix)).toMatchObject({
        workflowId: 'bc504cbe-37e0-4bd1-9e68-73657bf72502',
        sessionId: 'sess-7c1e9b2a',
      })
    }
    expect(decoded('05').facts).toMatchObject({ status: 'initiated', checkpointId: null })
    expect(decoded('06').facts).toMatchObject({ status: 'in_progress', checkpointId: 'ckpt-0003' })
    expect(decoded('07').facts).toMatchObject({ status: 'completed', checkpointId: 'ckpt-final' })
  })

  it('keeps a plain-text workflow id from 08 as text', () => {
    expect(decoded('08').workflowId).toBe('wf-sample-repo-42')
  })

  it('names the session agent:scout:main from payload.session_key in 09, 10 and 12', () => {
    for (const prefix of ['09', '10', '12']) {
      expect(decoded(prefix).sessionId).toBe('agent:scout:main')
    }
  })

  it('names the agent scout for 09 to 12 from the routing key', () => {
    for (const prefix of ['09', '10', '11', '12']) expect(decoded(prefix).agentName).toBe('scout')
  })

  it('keeps the command routing key of 16 while its type is command.envelope', () => {
    expect(decoded('16')).toMatchObject({
      eventType: 'command.envelope',
      routingKey: 'command.builder.run_git_maintenance',
      correlationId: 'db5c5723-df22-4ad6-8b02-bce7b28af1a7',
      parentIds: ['db5c5723-df22-4ad6-8b02-bce7b28af1a7'],
    })
  })

  it('makes 16 the parent of 17 through causation_id, sharing the chain id', () => {
    expect(decoded('17')).toMatchObject({
      format: 'envelope_v1_service',
      parentIds: [idOf('16')],
      correlationId: decoded('16').correlationId,
      sourceApp: 'command-adapter',
    })
  })

  it('reads the naive time of 18 as UTC and its session from top-level session_id', () => {
    expect(decoded('18')).toMatchObject({
      format: 'flat_service',
      occurredAt: '2026-03-06T18:04:11.902331Z',
      sessionId: '77a69237-9cf3-4257-a058-4817fa4eda9e',
      sourceApp: 'whisperlivekit',
      flags: ['time_naive'],
    })
  })

  it('reads 15 without its optional fields', () => {
    expect(decoded('15')).toMatchObject({
      format: 'envelope_v1',
      occurredAt: '2026-03-04T10:15:00.500000Z',
      parentIds: [],
      sourceApp: null,
      flags: [],
    })
  })

  it('reads 19 as legacy v0', () => {
    expect(decoded('19')).toMatchObject({
      format: 'legacy_v0',
      eventType: 'llm.prompt',
      occurredAt: '2025-10-15T18:20:31.512345Z',
      parentIds: [],
      sourceApp: 'cli/claude',
    })
  })

  it('stores 23 under an id derived from its routing key and bytes', () => {
    const message = fixtureMessage(entry('23'))

    expect(decoded('23')).toMatchObject({
      format: 'tool_mutation',
      eventId: deriveEventId('tool.mutation.edit', message.body),
      flags: ['id_derived'],
    })
  })

  it('decodes 28 to the same event id as 02', () => {
    expect(idOf('28')).toBe(idOf('02'))
  })

  it('refuses 21 as invalid JSON and 22 as not an object', () => {
    expect(decode(fixtureMessage(entry('21')), DEFAULT_LIMITS)).toMatchObject({
      ok: false,
      reason: 'invalid_json',
    })
    expect(decode(fixtureMessage(entry('22')), DEFAULT_LIMITS)).toMatchObject({
      ok: false,
      reason: 'not_an_object',
    })
  })

  it('treats 32 as a root because its causationid equals its correlationid', () => {
    expect(decoded('32')).toMatchObject({
      format: 'cloudevents',
      parentIds: [],
      sessionId: '55bd3322-b29f-472b-8c0a-cbe52464c5d3',
      correlationId: '55bd3322-b29f-472b-8c0a-cbe52464c5d3',
    })
  })

  it('chains 33 to 32, 34 to 33 and 35 to 34 in one session', () => {
    expect(decoded('33').parentIds).toEqual([idOf('32')])
    expect(decoded('34').parentIds).toEqual([idOf('33')])
    expect(decoded('35').parentIds).toEqual([idOf('34')])
    for (const prefix of ['33', '34', '35']) {
      expect(decoded(prefix).sessionId).toBe('55bd3322-b29f-472b-8c0a-cbe52464c5d3')
    }
  })
})
