import { createHash } from 'node:crypto'

import { describe, expect, it } from 'vitest'

import { HISTORIAN_NAMESPACE, deriveEventId, isUuid, toEventUuid } from './event-id.js'

/** UUIDv5 written out from RFC 9562, independent of the `uuid` package. */
function referenceV5(name: Buffer): string {
  const namespace = Buffer.from(HISTORIAN_NAMESPACE.replaceAll('-', ''), 'hex')
  const hash = createHash('sha1').update(namespace).update(name).digest()
  hash[6] = (hash[6]! & 0x0f) | 0x50
  hash[8] = (hash[8]! & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)]
    .join('-')
}

describe('HISTORIAN_NAMESPACE', () => {
  it('is the fixed namespace the README quotes', () => {
    expect(HISTORIAN_NAMESPACE).toBe('6c02389e-f618-4f5e-89a9-2c2a958802f9')
  })
})

describe('isUuid', () => {
  it('accepts the canonical form in any case', () => {
    expect(isUuid('0017e8b2-29ec-4fa2-9467-77f636830a19')).toBe(true)
    expect(isUuid('0017E8B2-29EC-4FA2-9467-77F636830A19')).toBe(true)
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true)
  })

  it('rejects other spellings and other text', () => {
    expect(isUuid('0017e8b229ec4fa2946777f636830a19')).toBe(false)
    expect(isUuid('{0017e8b2-29ec-4fa2-9467-77f636830a19}')).toBe(false)
    expect(isUuid(' 0017e8b2-29ec-4fa2-9467-77f636830a19')).toBe(false)
    expect(isUuid('0017e8b2-29ec-4fa2-9467-77f636830a1g')).toBe(false)
    expect(isUuid('wf-42')).toBe(false)
    expect(isUuid('')).toBe(false)
  })
})

describe('toEventUuid', () => {
  it('lowercases a UUID without mapping it', () => {
    expect(toEventUuid('0017E8B2-29EC-4FA2-9467-77F636830A19')).toEqual({
      id: '0017e8b2-29ec-4fa2-9467-77f636830a19',
      mapped: false,
    })
  })

  it('maps other text to UUIDv5 of its UTF-8 bytes in the Historian namespace', () => {
    for (const text of ['wf-42', '12345678901234567890', 'überwachung', ' spaced ']) {
      expect(toEventUuid(text)).toEqual({ id: referenceV5(Buffer.from(text)), mapped: true })
    }
  })

  it('gives the ids quoted in the doc comments', () => {
    expect(toEventUuid('wf-42').id).toBe('b9fcae5e-7913-550f-9f5c-49d4373f46c4')
    expect(deriveEventId('tool.mutation.edit', Buffer.from('{"event_type":"x"}'))).toBe(
      '4ebf8f1d-7845-5a13-83ce-cbd3723b9130',
    )
  })

  it('maps the same text to the same id and different text to different ids', () => {
    expect(toEventUuid('wf-42').id).toBe(toEventUuid('wf-42').id)
    expect(toEventUuid('wf-42').id).not.toBe(toEventUuid('WF-42').id)
  })

  it('produces a version 5 UUID that is itself not mapped again', () => {
    const { id } = toEventUuid('wf-42')

    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(toEventUuid(id)).toEqual({ id, mapped: false })
  })

  it('maps text holding a lone surrogate as if it were U+FFFD', () => {
    expect(toEventUuid('a\ud800b').id).toBe(toEventUuid('a\ufffdb').id)
  })
})

describe('deriveEventId', () => {
  it('hashes the routing key, one newline byte and the body bytes', () => {
    const body = Buffer.from('{"event_type":"tool.mutation.edit"}')
    const name = Buffer.concat([Buffer.from('tool.mutation.edit\n'), body])

    expect(deriveEventId('tool.mutation.edit', body)).toBe(referenceV5(name))
  })

  it('is deterministic and differs by routing key and by body', () => {
    const body = Buffer.from('{"event_type":"x"}')

    const otherBody = Buffer.from('{"event_type":"y"}')

    expect(deriveEventId('a.b', body)).toBe(deriveEventId('a.b', Buffer.from(body)))
    expect(deriveEventId('a.b', body)).not.toBe(deriveEventId('a.c', body))
    expect(deriveEventId('a.b', body)).not.toBe(deriveEventId('a.b', otherBody))
  })
})
