import { describe, expect, it } from 'vitest'

import { formatMicros, formatTimestamp, parseTime } from './timestamp.js'

function normalised(value: unknown): string | null {
  const parsed = parseTime(value)
  return parsed === null ? null : formatMicros(parsed.micros)
}

describe('parseTime', () => {
  it('reads UTC written with Z or +00:00', () => {
    expect(normalised('2026-03-02T14:03:11.482913Z')).toBe('2026-03-02T14:03:11.482913Z')
    expect(normalised('2026-03-02T14:03:11.482913z')).toBe('2026-03-02T14:03:11.482913Z')
    expect(normalised('2026-03-05T15:02:00.412006+00:00')).toBe('2026-03-05T15:02:00.412006Z')
    expect(normalised('2026-03-05T15:02:00.412006-00:00')).toBe('2026-03-05T15:02:00.412006Z')
  })

  it('converts other offsets to UTC, with or without a colon', () => {
    expect(normalised('2026-03-02T14:03:11+05:30')).toBe('2026-03-02T08:33:11.000000Z')
    expect(normalised('2026-03-02T14:03:11+0530')).toBe('2026-03-02T08:33:11.000000Z')
    expect(normalised('2026-03-02T14:03:11-0800')).toBe('2026-03-02T22:03:11.000000Z')
    expect(normalised('2026-03-02T14:03:11-08')).toBe('2026-03-02T22:03:11.000000Z')
  })

  it('carries an offset across a day, a month and a year', () => {
    expect(normalised('2027-01-01T00:30:00+01:00')).toBe('2026-12-31T23:30:00.000000Z')
    expect(normalised('2026-02-28T23:30:00-01:00')).toBe('2026-03-01T00:30:00.000000Z')
    expect(normalised('2024-02-28T23:30:00-01:00')).toBe('2024-02-29T00:30:00.000000Z')
  })

  it('accepts a space instead of T', () => {
    expect(normalised('2026-03-02 14:03:11.482913+00')).toBe('2026-03-02T14:03:11.482913Z')
  })

  it('reads a time without a zone as UTC and says so', () => {
    expect(parseTime('2026-03-06T18:04:11.902331')).toEqual({
      micros: BigInt(Date.UTC(2026, 2, 6, 18, 4, 11)) * 1000n + 902331n,
      naive: true,
    })
    expect(parseTime('2026-03-06T18:04:11.902331Z')?.naive).toBe(false)
  })

  it('accepts 0 to 9 fractional digits, rounding half up to microseconds', () => {
    const cases: Array<[string, string]> = [
      ['', '000000'],
      ['.1', '100000'],
      ['.12', '120000'],
      ['.123', '123000'],
      ['.1234', '123400'],
      ['.12345', '123450'],
      ['.123456', '123456'],
      ['.1234564', '123456'],
      ['.1234565', '123457'],
      ['.12345649', '123456'],
      ['.12345650', '123457'],
      ['.123456789', '123457'],
      ['.000000499', '000000'],
    ]

    for (const [fraction, micros] of cases) {
      expect(normalised(`2026-03-02T14:03:11${fraction}Z`)).toBe(`2026-03-02T14:03:11.${micros}Z`)
    }
  })

  it('carries rounding into seconds, minutes, days, months and years', () => {
    expect(normalised('2026-12-31T23:59:59.9999995Z')).toBe('2027-01-01T00:00:00.000000Z')
    expect(normalised('2026-03-02T14:03:59.99999951Z')).toBe('2026-03-02T14:04:00.000000Z')
    expect(normalised('2024-02-28T23:59:59.999999999Z')).toBe('2024-02-29T00:00:00.000000Z')
    expect(normalised('2026-12-31T23:59:59.9999994Z')).toBe('2026-12-31T23:59:59.999999Z')
  })

  it('handles years below 100 without reading them as 19xx', () => {
    expect(normalised('0050-06-15T12:00:00Z')).toBe('0050-06-15T12:00:00.000000Z')
    expect(normalised('0099-12-31T23:59:59.9999999Z')).toBe('0100-01-01T00:00:00.000000Z')
    expect(normalised('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00.000000Z')
    expect(normalised('9999-12-31T23:59:59.999999Z')).toBe('9999-12-31T23:59:59.999999Z')
  })

  it('knows leap years', () => {
    expect(normalised('2000-02-29T00:00:00Z')).toBe('2000-02-29T00:00:00.000000Z')
    expect(normalised('2024-02-29T00:00:00Z')).toBe('2024-02-29T00:00:00.000000Z')
    expect(normalised('1900-02-29T00:00:00Z')).toBeNull()
    expect(normalised('2026-02-29T00:00:00Z')).toBeNull()
  })

  it('rejects impossible dates and times', () => {
    const impossible = [
      '2026-02-30T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-03-00T00:00:00Z',
      '0000-01-01T00:00:00Z',
      '2026-03-02T24:00:00Z',
      '2026-03-02T12:60:00Z',
      '2026-03-02T12:00:60Z',
      '2026-03-02T12:00:00+24:00',
      '2026-03-02T12:00:00+05:60',
    ]

    for (const text of impossible) expect(normalised(text), text).toBeNull()
  })

  it('rejects times that fall outside years 1 to 9999 once converted', () => {
    expect(normalised('0001-01-01T00:30:00+01:00')).toBeNull()
    expect(normalised('9999-12-31T23:59:59.9999995Z')).toBeNull()
  })

  it('rejects text that is not a timestamp and values of other types', () => {
    const notTimes = [
      '',
      'yesterday',
      '2026-3-2T14:03:11Z',
      '20260302T140311Z',
      '2026-03-02T14:03:11 Z',
    ]

    for (const value of notTimes) expect(normalised(value), value).toBeNull()
    expect(normalised(null)).toBeNull()
    expect(normalised(true)).toBeNull()
    expect(normalised({ time: '2026-03-02T14:03:11Z' })).toBeNull()
  })

  it('accepts minutes without seconds and a date alone, both without a zone', () => {
    expect(parseTime('2026-03-02T14:03')?.naive).toBe(true)
    expect(normalised('2026-03-02T14:03Z')).toBe('2026-03-02T14:03:00.000000Z')
    expect(normalised('2026-03-02')).toBe('2026-03-02T00:00:00.000000Z')
    expect(parseTime('2026-03-02')?.naive).toBe(true)
  })

  it('reads large numbers as epoch milliseconds and small ones as epoch seconds', () => {
    expect(normalised(1772722920001)).toBe('2026-03-05T15:02:00.001000Z')
    expect(normalised(1772722920)).toBe('2026-03-05T15:02:00.000000Z')
    expect(normalised(1772722920.25)).toBe('2026-03-05T15:02:00.250000Z')
    expect(normalised(0)).toBe('1970-01-01T00:00:00.000000Z')
    expect(parseTime(1772722920)?.naive).toBe(false)
  })
})

describe('formatMicros', () => {
  it('agrees with Date on a seeded spread of instants from year 1 to 9999', () => {
    const first = Date.parse('0001-01-01T00:00:00.000Z')
    const span = Date.parse('9999-12-31T23:59:59.999Z') - first
    let seed = 20260302

    for (let i = 0; i < 2000; i += 1) {
      seed = (seed * 1103515245 + 12345) % 2147483648
      const millis = first + Math.floor((seed / 2147483648) * span)
      const expected = new Date(millis).toISOString().replace('Z', '000Z')

      expect(formatMicros(BigInt(millis) * 1000n)).toBe(expected)
    }
  })
})

describe('formatTimestamp', () => {
  it('formats PostgreSQL timestamptz text with any number of fractional digits', () => {
    expect(formatTimestamp('2026-03-02 14:03:11.482913+00')).toBe('2026-03-02T14:03:11.482913Z')
    expect(formatTimestamp('2026-03-02 14:03:11+00')).toBe('2026-03-02T14:03:11.000000Z')
    expect(formatTimestamp('2026-03-02 14:03:11.5+00')).toBe('2026-03-02T14:03:11.500000Z')
    expect(formatTimestamp('2026-03-02 19:33:11.5+05:30')).toBe('2026-03-02T14:03:11.500000Z')
  })

  it('formats ISO text and Dates', () => {
    expect(formatTimestamp('2026-03-02T14:03:11.4829135Z')).toBe('2026-03-02T14:03:11.482914Z')
    const date = new Date('2026-03-02T14:03:11.482Z')

    expect(formatTimestamp(date)).toBe('2026-03-02T14:03:11.482000Z')
  })

  it('throws on text that is not a time and on an invalid Date', () => {
    expect(() => formatTimestamp('not a time')).toThrow(RangeError)
    expect(() => formatTimestamp(new Date(Number.NaN))).toThrow(RangeError)
  })
})

describe('formatTimestamp on what Postgres prints', () => {
  it('gives the same text as the general parser for UTC session output', () => {
    const printed = [
      '2026-03-02 14:03:11.482913+00',
      '2026-03-02 14:03:11.48291+00',
      '2026-03-02 14:03:11.5+00',
      '2026-03-02 14:03:11+00',
      '0001-01-01 00:00:00+00',
      '9999-12-31 23:59:59.999999+00',
    ]
    for (const text of printed) {
      // `parseTime` is the decoder's general path; the 'Z' form avoids any fast path.
      expect(formatTimestamp(text), text).toBe(normalised(text.replace('+00', 'Z')))
    }
  })
})
