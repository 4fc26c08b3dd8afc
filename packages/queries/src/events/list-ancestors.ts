import type { Database } from '@historian/db'
import type { Kysely } from 'kysely'

import { EVENT_ROW_COLUMNS } from './event-row.js'
import {
  CausationLimitError,
  MAX_CAUSATION_EVENTS,
  type CausationNode,
} from './list-descendants.js'

/**
 * Every stored event above `event`, each once at its shortest depth, nearest first; within a
 * level, newest first. Parent ids that name no stored event (a chain id, say) are skipped.
 * Walks breadth-first like `listDescendants`, so cycles end.
 */
export async function listAncestors(
  db: Kysely<Database>,
  event: { event_id: string; parent_ids: string[] },
  maxDepth: number,
): Promise<CausationNode[]> {
  const seen = new Set([event.event_id])
  const found: CausationNode[] = []
  let children = [event]

  for (let depth = 1; depth <= maxDepth && children.length > 0; depth++) {
    const via = new Map<string, string>()
    for (const child of children) {
      for (const parentId of child.parent_ids) {
        if (!seen.has(parentId) && !via.has(parentId)) via.set(parentId, child.event_id)
      }
    }
    if (via.size === 0) break

    const rows = await db
      .selectFrom('events')
      .select(EVENT_ROW_COLUMNS)
      .where('event_id', 'in', [...via.keys()])
      .orderBy('occurred_at', 'desc')
      .orderBy('position', 'desc')
      .execute()

    for (const row of rows) {
      seen.add(row.event_id)
      found.push({ row, depth, via: via.get(row.event_id)! })
    }
    if (found.length > MAX_CAUSATION_EVENTS) throw new CausationLimitError(MAX_CAUSATION_EVENTS)
    children = rows
  }

  return found
}
