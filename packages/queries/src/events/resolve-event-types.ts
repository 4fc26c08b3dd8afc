import type { Database } from '@historian/db'
import type { Kysely } from 'kysely'

import type { EventTypePattern } from '../event-type-pattern.js'

/**
 * The exact event types a pattern stands for: its exact names, plus every known type (table
 * `event_types`) that one of its wildcards matches. Sorted; empty when nothing can match.
 */
export async function resolveEventTypes(
  db: Kysely<Database>,
  pattern: EventTypePattern,
): Promise<string[]> {
  const types = new Set(pattern.exact)

  if (pattern.likes.length > 0) {
    const known = await db
      .selectFrom('event_types')
      .select('event_type')
      .where((eb) => eb.or(pattern.likes.map((like) => eb('event_type', 'like', like))))
      .execute()
    for (const row of known) types.add(row.event_type)
  }

  return [...types].sort()
}
