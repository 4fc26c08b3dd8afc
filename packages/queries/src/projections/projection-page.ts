import type { ProjectionCursor } from './projection-cursor.js'

/** Which slice of a projection list to read; `offset` skips rows past `after`. */
export interface ProjectionPageRequest {
  limit: number
  offset?: number | undefined
  after?: ProjectionCursor | undefined
}

/** One page, and where the next one starts when there is more to read. */
export interface ProjectionPage<T> {
  rows: T[]
  next: ProjectionCursor | null
}

/** @internal Cuts the look-ahead row off a page fetched with `limit + 1`. */
export function toProjectionPage<T>(
  rows: T[],
  limit: number,
  cursorOf: (row: T) => ProjectionCursor,
): ProjectionPage<T> {
  if (rows.length <= limit) return { rows, next: null }

  const page = rows.slice(0, limit)
  return { rows: page, next: cursorOf(page[page.length - 1]!) }
}
