import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { createClient } from '@historian/db'

// Brings in the types of what the global setup provides to `inject`.
import type {} from '../../../test/support/global-setup.js'
import { seededRandom, type SeededRandom } from '../../../test/support/seeded-random.js'

import { encodeTextArray } from './binary-text-array.js'

describe('encodeTextArray, read back by a real Postgres', () => {
  let client: pg.Client

  beforeAll(async () => {
    client = createClient(inject('databaseUrl'))
    await client.connect()
  })

  afterAll(async () => {
    await client?.end()
  })

  const roundTrip = async (values: Array<string | Buffer | null>) => {
    const result = await client.query<{ value: string | null; ord: string }>(
      'SELECT value, ord FROM unnest($1::text[]) WITH ORDINALITY AS t(value, ord) ORDER BY ord',
      [encodeTextArray(values)],
    )
    return result.rows.map((row) => row.value)
  }

  it('keeps quotes, backslashes, braces, commas, newlines and non-ASCII text exactly', async () => {
    const values = ['{"a":"b\\"c"}', 'x,y', '{}', 'NULL', '', 'line\nbreak\t', 'Zoë 🚀 中文']

    expect(await roundTrip(values)).toEqual(values)
  })

  it('sends null elements as SQL NULL, not as text', async () => {
    expect(await roundTrip(['a', null, 'c', null])).toEqual(['a', null, 'c', null])
  })

  it('copies Buffer elements byte for byte', async () => {
    const body = Buffer.from('\ufeff{"event_type":"x","n":12345678901234567890}')

    const [value] = await roundTrip([body])

    expect(Buffer.from(value!, 'utf8').equals(body)).toBe(true)
  })

  it('reads back an empty array as having no elements', async () => {
    expect(await roundTrip([])).toEqual([])
  })

  it('is refused by Postgres when an element is not UTF-8', async () => {
    await expect(roundTrip([Buffer.from([0x7b, 0xff, 0x7d])])).rejects.toThrow(/UTF8/)
  })

  it('round-trips 200 seeded random strings of every plane', async () => {
    const random = seededRandom(7)
    const values = Array.from({ length: 200 }, () => randomText(random))

    expect(await roundTrip(values)).toEqual(values)
  })
})

/** Code points from 1 up to the astral planes, skipping surrogates (not valid on their own). */
function randomText(random: SeededRandom): string {
  const length = random.int(40)
  let text = ''
  for (let i = 0; i < length; i++) {
    const wide = random.next() < 0.2
    let point = 1 + random.int(wide ? 0x10ffff : 0x7f)
    if (point >= 0xd800 && point <= 0xdfff) point = 0x41
    text += String.fromCodePoint(point)
  }
  return text
}
