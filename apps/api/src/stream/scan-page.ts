import type { Database } from '@historian/db'
import { scanEvents, type EventSummary, type StreamFilter } from '@historian/queries'
import type { Kysely } from 'kysely'

/** How much one read may hold: rows, and bytes of bodies (one event always fits). */
export interface PageLimits {
  rows: number
  bytes: number
}

export interface ScannedPage {
  summaries: EventSummary[]
  /** True when nothing after the page was stored when it was read. */
  complete: boolean
}

/** The summaries of the next page after `after`, cut where the bodies pass the byte limit. */
export async function scanPage(
  db: Kysely<Database>,
  after: bigint,
  limits: PageLimits,
  filter?: StreamFilter,
): Promise<ScannedPage> {
  const scanned = await scanEvents(db, { after, limit: limits.rows, filter })

  let bytes = 0
  let end = 0
  for (const summary of scanned) {
    if (end > 0 && bytes + summary.body_bytes > limits.bytes) break
    bytes += summary.body_bytes
    end++
  }

  return {
    summaries: end === scanned.length ? scanned : scanned.slice(0, end),
    complete: end === scanned.length && scanned.length < limits.rows,
  }
}
