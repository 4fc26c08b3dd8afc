import { formatTimestamp } from '@historian/envelope'

/** A place in a projection list ordered by (time, id), newest first; a page continues after it. */
export interface ProjectionCursor {
  /** UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  at: string
  id: string
}

/** The opaque text of a cursor, safe in a query string. */
export function encodeProjectionCursor(cursor: ProjectionCursor): string {
  return Buffer.from(`${formatTimestamp(cursor.at)}|${cursor.id}`, 'utf8').toString('base64url')
}

/** Reads a cursor written by `encodeProjectionCursor`; null for anything else. */
export function decodeProjectionCursor(text: string): ProjectionCursor | null {
  if (!/^[A-Za-z0-9_-]{1,8000}$/.test(text)) return null

  const decoded = Buffer.from(text, 'base64url').toString('utf8')
  const bar = decoded.indexOf('|')
  const id = decoded.slice(bar + 1)
  if (bar < 0 || id === '' || id.includes('\u0000')) return null

  try {
    return { at: formatTimestamp(decoded.slice(0, bar)), id }
  } catch {
    return null
  }
}
