import { formatTimestamp } from '@historian/envelope'

/** A place in the (occurred_at, position) order of events; a page continues after it. */
export interface EventCursor {
  /** UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  occurredAt: string
  /** Decimal text of the event's position. */
  position: string
}

const POSITION_PATTERN = /^[1-9][0-9]{0,18}$/

/**
 * The opaque text of a cursor, safe in a query string. Clients only hand it back; the format is
 * free to change as long as `decodeCursor` reads what `encodeCursor` writes.
 */
export function encodeCursor(cursor: { occurredAt: string; position: string }): string {
  const text = `${formatTimestamp(cursor.occurredAt)}|${cursor.position}`
  return Buffer.from(text, 'utf8').toString('base64url')
}

/** Reads a cursor written by `encodeCursor`; null for anything else, so callers can answer 400. */
export function decodeCursor(text: string): EventCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null

  const [time, position, extra] = Buffer.from(text, 'base64url').toString('utf8').split('|')
  if (time === undefined || position === undefined || extra !== undefined) return null
  if (!POSITION_PATTERN.test(position)) return null

  try {
    return { occurredAt: formatTimestamp(time), position }
  } catch {
    return null
  }
}
