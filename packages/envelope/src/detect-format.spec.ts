import { describe, expect, it } from 'vitest'

import { detectFormat } from './detect-format.js'

describe('detectFormat', () => {
  it('names CloudEvents by specversion, whatever else the body has', () => {
    expect(detectFormat({ specversion: '1.0', event_id: 'x', id: 'y' })).toBe('cloudevents')
  })

  it('names envelope v1 service style by causation_id or a lone correlation_id', () => {
    expect(detectFormat({ event_id: 'x', causation_id: 'p', correlation_ids: [] })).toBe(
      'envelope_v1_service',
    )
    expect(detectFormat({ event_id: 'x', correlation_id: 'c' })).toBe('envelope_v1_service')
  })

  it('names a flat service event by session_id or target without envelope fields', () => {
    expect(detectFormat({ event_id: 'x', session_id: 's' })).toBe('flat_service')
    expect(detectFormat({ event_id: 'x', target: 't' })).toBe('flat_service')
    expect(detectFormat({ event_id: 'x', target: 't', agent_context: null })).toBe('envelope_v1')
    expect(detectFormat({ event_id: 'x', session_id: 's', correlation_ids: [] })).toBe(
      'envelope_v1',
    )
  })

  it('names any other event_id body envelope v1', () => {
    expect(detectFormat({ event_id: 'x' })).toBe('envelope_v1')
    expect(detectFormat({ event_id: null, correlation_id: 'c', correlation_ids: [] })).toBe(
      'envelope_v1',
    )
  })

  it('names legacy v0 by id with ts or data', () => {
    expect(detectFormat({ id: 'x', ts: 't' })).toBe('legacy_v0')
    expect(detectFormat({ id: 'x', data: {} })).toBe('legacy_v0')
    expect(detectFormat({ id: 'x', event_type: 'y' })).toBe('unknown')
  })

  it('names a body with event_type and no id a tool mutation', () => {
    expect(detectFormat({ event_type: 'tool.mutation.edit' })).toBe('tool_mutation')
  })

  it('names everything else unknown, without reading inherited properties', () => {
    expect(detectFormat({})).toBe('unknown')
    expect(detectFormat({ type: 'x', data: {} })).toBe('unknown')
    expect(detectFormat(JSON.parse('{"__proto__": {"event_id": "x"}}') as Record<string, unknown>))
      .toBe('unknown')
  })
})
