import { describe, expect, it } from 'vitest'

import {
  EventTypePatternError,
  MAX_EVENT_TYPE_ALTERNATIVES,
  parseEventTypePattern,
} from './event-type-pattern.js'

describe('parseEventTypePattern', () => {
  it('matches an exact name and nothing longer or shorter', () => {
    const pattern = parseEventTypePattern('agent.scout.started')

    expect(pattern.test('agent.scout.started')).toBe(true)
    expect(pattern.test('agent.scout.started.again')).toBe(false)
    expect(pattern.test('agent.scout')).toBe(false)
    expect(pattern.exact).toEqual(['agent.scout.started'])
    expect(pattern.likes).toEqual([])
  })

  it('lets * match any run of characters, dots included', () => {
    const pattern = parseEventTypePattern('bmad.workflow.*')

    expect(pattern.test('bmad.workflow.phase.completed')).toBe(true)
    expect(pattern.test('bmad.workflow.started')).toBe(true)
    expect(pattern.test('bmad.workflow.')).toBe(true)
    expect(pattern.test('bmad.workflows.started')).toBe(false)
    expect(pattern.likes).toEqual(['bmad.workflow.%'])
  })

  it('treats # like *, also in the middle of a name', () => {
    const pattern = parseEventTypePattern('agent.#.ended')

    expect(pattern.test('agent.scout.ended')).toBe(true)
    expect(pattern.test('agent.scout.main.ended')).toBe(true)
    expect(pattern.test('agent.scout.started')).toBe(false)
  })

  it('reads a trailing dot as a prefix', () => {
    const pattern = parseEventTypePattern('agent.')

    expect(pattern.test('agent.scout.heartbeat')).toBe(true)
    expect(pattern.test('agent')).toBe(false)
    expect(pattern.test('agents.scout')).toBe(false)
    expect(pattern.likes).toEqual(['agent.%'])
  })

  it('separates alternatives with commas and ignores blanks around them', () => {
    const pattern = parseEventTypePattern(' command.ack , bmad.*,,agent. ')

    expect(pattern.test('command.ack')).toBe(true)
    expect(pattern.test('bmad.workflow.started')).toBe(true)
    expect(pattern.test('agent.x')).toBe(true)
    expect(pattern.test('command.envelope')).toBe(false)
    expect(pattern.exact).toEqual(['command.ack'])
  })

  it('escapes LIKE metacharacters so they match only themselves', () => {
    const pattern = parseEventTypePattern('odd_type%\\x.*')

    expect(pattern.likes).toEqual(['odd\\_type\\%\\\\x.%'])
    expect(pattern.test('odd_type%\\x.y')).toBe(true)
    expect(pattern.test('oddXtype%\\x.y')).toBe(false)
  })

  it('does not treat regular expression characters as special', () => {
    const pattern = parseEventTypePattern('a+b.(c)*')

    expect(pattern.test('a+b.(c)d')).toBe(true)
    expect(pattern.test('aab.(c)d')).toBe(false)
  })

  it('refuses an empty pattern and too many alternatives', () => {
    expect(() => parseEventTypePattern(' , ')).toThrow(EventTypePatternError)

    const many = Array.from({ length: MAX_EVENT_TYPE_ALTERNATIVES + 1 }, (_, i) => `t${i}`)
    expect(() => parseEventTypePattern(many.join(','))).toThrow(/alternatives/)
  })
})
