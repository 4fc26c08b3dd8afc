import { describe, expect, it } from 'vitest'

import { CloudEvent, EnvelopeV1, EnvelopeV1Service, LegacyV0, ShapeSchemas } from './shapes.js'

describe('shape schemas', () => {
  it('keep unknown top-level fields', () => {
    const parsed = EnvelopeV1.parse({
      event_id: 'e',
      event_type: 't',
      timestamp: '2026-03-02T14:03:11Z',
      payload: {},
      project: 'sample-repo',
    })

    expect(parsed.project).toBe('sample-repo')
  })

  it('describe the fields each shape must carry', () => {
    const withoutId = { event_type: 't', timestamp: 'x', payload: {} }
    const numericCausation = { event_id: 'e', event_type: 't', timestamp: 'x', causation_id: 7 }
    const withoutType = { specversion: '1.0', id: 'i', source: 's' }

    expect(EnvelopeV1.safeParse(withoutId).success).toBe(false)
    expect(EnvelopeV1Service.safeParse(numericCausation).success).toBe(false)
    expect(LegacyV0.safeParse({ id: 42, ts: 1772722920, data: {} }).success).toBe(true)
    expect(CloudEvent.safeParse(withoutType).success).toBe(false)
  })

  it('accept any object for the unknown format', () => {
    expect(ShapeSchemas.unknown.safeParse({ anything: [1, 2] }).success).toBe(true)
    expect(ShapeSchemas.unknown.safeParse([1, 2]).success).toBe(false)
  })
})
