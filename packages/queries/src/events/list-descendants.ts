import type { Database } from '@historian/db'
import { sql, type Kysely } from 'kysely'

import { EVENT_ROW_COLUMNS, type EventRow } from './event-row.js'

/** How many events one causation walk may collect before it stops with an error. */
export const MAX_CAUSATION_EVENTS = 10_000

/** An event found by a causation walk. */
export interface CausationNode {
  row: EventRow
  /** Shortest distance from the start event, 1 for its direct children or parents. */
  depth: number
  /**
   * For descendants: the parent it hangs under in a tree, the earliest (by time, then position)
   * of its parents one level up. For ancestors: the nearer event that named it as a parent.
   */
  via: string
}

/** Thrown when a walk would collect more than `MAX_CAUSATION_EVENTS` events. */
export class CausationLimitError extends Error {
  readonly code = 'CAUSATION_LIMIT'

  constructor(readonly limit: number) {
    super(`more than ${limit} events are linked within the requested depth`)
    this.name = 'CausationLimitError'
  }
}

/**
 * Every event below `eventId` through `parent_ids`, each once at its shortest depth, down to
 * `maxDepth` levels: nearest level first, each level in (occurred_at, position) order.
 *
 * A breadth-first walk, one query per level on the GIN index of `parent_ids`; events already
 * seen are skipped, which handles diamonds and cuts cycles. A recursive CTE would revisit
 * every path through a diamond and, in a cycle, go round until the depth limit.
 */
export async function listDescendants(
  db: Kysely<Database>,
  eventId: string,
  maxDepth: number,
): Promise<CausationNode[]> {
  const seen = new Set([eventId])
  const found: CausationNode[] = []
  let frontier = [eventId]

  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    const rows = await db
      .selectFrom('events')
      .select(EVENT_ROW_COLUMNS)
      .where('parent_ids', '&&', sql<string[]>`${frontier}::uuid[]`)
      .orderBy('occurred_at')
      .orderBy('position')
      .execute()

    // The frontier is itself in (occurred_at, position) order, so its index ranks the parents.
    const rank = new Map(frontier.map((id, index) => [id, index]))
    const next: string[] = []
    for (const row of rows) {
      if (seen.has(row.event_id)) continue
      seen.add(row.event_id)
      next.push(row.event_id)
      found.push({ row, depth, via: earliestParent(row.parent_ids, rank) })
    }
    if (found.length > MAX_CAUSATION_EVENTS) throw new CausationLimitError(MAX_CAUSATION_EVENTS)
    frontier = next
  }

  return found
}

function earliestParent(parentIds: string[], rank: Map<string, number>): string {
  let best: string | undefined
  for (const id of parentIds) {
    const index = rank.get(id)
    if (index !== undefined && (best === undefined || index < rank.get(best)!)) best = id
  }
  return best!
}
