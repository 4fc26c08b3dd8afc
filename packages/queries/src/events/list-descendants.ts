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
 * The breadth-first walk runs in the server (`event_descendant_links`, migrations 0004 and
 * 0006): one GIN lookup per level, skipping events already seen, which handles diamonds and
 * cuts cycles. A recursive CTE would revisit every path through a diamond and, in a cycle, go
 * round until the depth limit; a walk driven from here would cost a round trip per level.
 */
export async function listDescendants(
  db: Kysely<Database>,
  eventId: string,
  maxDepth: number,
): Promise<CausationNode[]> {
  const walk = sql<DescendantLink>`event_descendant_links(
    ${eventId}::uuid, ${maxDepth}::int, ${MAX_CAUSATION_EVENTS}::int
  )`
  const rows = await db
    .selectFrom(walk.as('link'))
    .innerJoin('events', 'events.position', 'link.pos')
    .select(['link.depth', ...EVENT_ROW_COLUMNS.map((column) => `events.${column}` as const)])
    .orderBy('link.depth')
    .orderBy('events.occurred_at')
    .orderBy('events.position')
    .execute()
  if (rows.length > MAX_CAUSATION_EVENTS) throw new CausationLimitError(MAX_CAUSATION_EVENTS)

  // Each level is in (occurred_at, position) order, so an index within a level ranks parents.
  const rankByLevel = [new Map([[eventId, 0]])]
  return rows.map(({ depth, ...row }): CausationNode => {
    const level = (rankByLevel[depth] ??= new Map())
    level.set(row.event_id, level.size)
    return { row, depth, via: earliestParent(row.parent_ids, rankByLevel[depth - 1]!) }
  })
}

interface DescendantLink {
  pos: string
  depth: number
}

function earliestParent(parentIds: string[], rank: Map<string, number>): string {
  let best: string | undefined
  for (const id of parentIds) {
    const index = rank.get(id)
    if (index !== undefined && (best === undefined || index < rank.get(best)!)) best = id
  }
  return best!
}
