/**
 * @module Producer times to epoch microseconds and back, without `Date`, which keeps only
 * milliseconds and reads years below 100 as 19xx.
 */

/** @internal A time read from a body, in microseconds since 1970-01-01T00:00:00Z. */
export interface ParsedTime {
  micros: bigint
  /** True when the text had no zone and was read as UTC. */
  naive: boolean
}

const MICROS_PER_SECOND = 1_000_000n
const SECONDS_PER_DAY = 86_400

/** Epoch values above this are milliseconds; below, seconds (1e11 s is the year 5138). */
const EPOCH_MILLIS_THRESHOLD = 1e11

const TIMESTAMP_PATTERN = new RegExp(
  '^(\\d{4})-(\\d{2})-(\\d{2})' +
    '(?:[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d+))?)?' +
    '(?:([Zz])|([+-])(\\d{2})(?::?(\\d{2})(?::?(\\d{2}))?)?)?)?$',
)

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]

const EPOCH_DAY = daysBeforeYear(1970)

const MIN_MICROS = BigInt(daysSinceEpoch(1, 1, 1) * SECONDS_PER_DAY) * MICROS_PER_SECOND
const MAX_MICROS =
  BigInt(daysSinceEpoch(10000, 1, 1) * SECONDS_PER_DAY) * MICROS_PER_SECOND - 1n

/**
 * @internal Reads a producer time: ISO 8601 / RFC 3339 text (`T` or a space, `Z`, `±HH:MM`,
 * `±HHMM`, `±HH` or no zone, any number of fractional digits rounded half up to microseconds),
 * or a number of epoch milliseconds (above 1e11) or seconds. Returns null for anything else,
 * including impossible dates (month 13, 30 February, year 0) and years outside 1..9999.
 */
export function parseTime(value: unknown): ParsedTime | null {
  if (typeof value === 'string') return parseTimeText(value)
  if (typeof value === 'number') return parseEpoch(value)
  return null
}

/** @internal The text form of {@link parseTime}. */
export function parseTimeText(text: string): ParsedTime | null {
  const match = TIMESTAMP_PATTERN.exec(text)
  if (match === null) return null

  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  const hour = Number(match[4] ?? 0)
  const minute = Number(match[5] ?? 0)
  const second = Number(match[6] ?? 0)
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null

  const zoned = match[8] !== undefined || match[9] !== undefined
  let offsetSeconds = 0
  if (match[9] !== undefined) {
    const offsetHours = Number(match[10])
    const offsetMinutes = Number(match[11] ?? 0)
    const extraSeconds = Number(match[12] ?? 0)
    if (offsetHours > 23 || offsetMinutes > 59 || extraSeconds > 59) return null
    const magnitude = offsetHours * 3600 + offsetMinutes * 60 + extraSeconds
    offsetSeconds = match[9] === '-' ? -magnitude : magnitude
  }

  const seconds =
    daysSinceEpoch(year, month, day) * SECONDS_PER_DAY +
    hour * 3600 +
    minute * 60 +
    second -
    offsetSeconds
  const micros = BigInt(seconds) * MICROS_PER_SECOND + BigInt(fractionMicros(match[7] ?? ''))

  return inRange(micros) ? { micros, naive: !zoned } : null
}

/**
 * Formats a time as UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ`, always with six fractional digits.
 * Accepts what {@link parseTime} accepts as text, which includes PostgreSQL's own
 * `timestamptz` output (`2026-03-02 14:03:11.482913+00`), or a `Date`.
 *
 * @throws RangeError when the value is not a valid time.
 * @example formatTimestamp('2026-03-02 14:03:11.5+00') // '2026-03-02T14:03:11.500000Z'
 */
export function formatTimestamp(value: string | Date): string {
  if (value instanceof Date) {
    const micros = dateMicros(value)
    if (micros === null) throw new RangeError(`not a timestamp: ${String(value)}`)
    return formatMicros(micros)
  }

  const fast = fromPostgresUtc(value)
  if (fast !== null) return fast

  const parsed = parseTimeText(value)
  if (parsed === null) throw new RangeError(`not a timestamp: ${JSON.stringify(value)}`)
  return formatMicros(parsed.micros)
}

/**
 * What the pools' UTC sessions print for a timestamptz, `2026-03-02 14:03:11.4829+00`, needs
 * only re-punctuating: lists format two per event, so the general parser is skipped for it.
 */
const POSTGRES_UTC = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/

function fromPostgresUtc(value: string): string | null {
  const match = POSTGRES_UTC.exec(value)
  if (match === null) return null
  return `${match[1]}T${match[2]}.${(match[3] ?? '').padEnd(6, '0')}Z`
}

/** @internal Epoch microseconds as `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export function formatMicros(micros: bigint): string {
  let wholeSeconds = micros / MICROS_PER_SECOND
  let fraction = micros % MICROS_PER_SECOND
  if (fraction < 0n) {
    wholeSeconds -= 1n
    fraction += MICROS_PER_SECOND
  }

  const seconds = Number(wholeSeconds)
  const days = Math.floor(seconds / SECONDS_PER_DAY)
  const secondOfDay = seconds - days * SECONDS_PER_DAY
  const { year, month, day } = civilDate(days)

  return (
    `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T` +
    `${pad(Math.floor(secondOfDay / 3600), 2)}:${pad(Math.floor(secondOfDay / 60) % 60, 2)}:` +
    `${pad(secondOfDay % 60, 2)}.${pad(Number(fraction), 6)}Z`
  )
}

/** @internal Epoch microseconds of a `Date`, or null when it is invalid or outside 1..9999. */
export function dateMicros(date: Date): bigint | null {
  const millis = date.getTime()
  if (Number.isNaN(millis)) return null

  const micros = BigInt(millis) * 1000n
  return inRange(micros) ? micros : null
}

function parseEpoch(value: number): ParsedTime | null {
  if (!Number.isFinite(value)) return null

  const micros =
    value > EPOCH_MILLIS_THRESHOLD
      ? BigInt(Math.round(value * 1000))
      : BigInt(Math.round(value * 1_000_000))

  return inRange(micros) ? { micros, naive: false } : null
}

/** Digits after the decimal point, rounded half up to six; 1_000_000 carries into seconds. */
function fractionMicros(digits: string): number {
  if (digits.length <= 6) return digits === '' ? 0 : Number(digits.padEnd(6, '0'))

  const truncated = Number(digits.slice(0, 6))
  return digits.charCodeAt(6) >= 0x35 ? truncated + 1 : truncated
}

function inRange(micros: bigint): boolean {
  return micros >= MIN_MICROS && micros <= MAX_MICROS
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

function validDate(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

/** Days from 0001-01-01 to January 1st of `year` in the proleptic Gregorian calendar. */
function daysBeforeYear(year: number): number {
  const previous = year - 1
  return (
    previous * 365 +
    Math.floor(previous / 4) -
    Math.floor(previous / 100) +
    Math.floor(previous / 400)
  )
}

function daysSinceEpoch(year: number, month: number, day: number): number {
  const leapDay = month > 2 && isLeapYear(year) ? 1 : 0
  const dayOfYear = (DAYS_BEFORE_MONTH[month - 1] ?? 0) + leapDay + day - 1
  return daysBeforeYear(year) - EPOCH_DAY + dayOfYear
}

function civilDate(epochDays: number): { year: number; month: number; day: number } {
  const absoluteDays = epochDays + EPOCH_DAY

  // The estimate is off by at most one year either way; the loops settle it.
  let year = Math.floor(absoluteDays / 365.2425) + 1
  while (daysBeforeYear(year + 1) <= absoluteDays) year += 1
  while (daysBeforeYear(year) > absoluteDays) year -= 1

  let remaining = absoluteDays - daysBeforeYear(year)
  let month = 1
  while (remaining >= daysInMonth(year, month)) {
    remaining -= daysInMonth(year, month)
    month += 1
  }

  return { year, month, day: remaining + 1 }
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0')
}
