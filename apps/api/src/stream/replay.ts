import type { Database } from '@historian/db'
import { readStreamPage, safePosition, type StreamPageRequest } from '@historian/queries'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'

import type { ClientSession } from './client-session.js'
import type { EventFeed } from './event-feed.js'
import { renderFrame } from './render-frame.js'
import type { StreamMetrics } from './stream-metrics.js'

export interface ReplayOptions {
  db: Kysely<Database>
  feed: EventFeed
  page: Pick<StreamPageRequest, 'limit' | 'maxBytes'>
  /** Read the next page only once the socket holds at most this much. */
  lowWaterBytes: number
  metrics: StreamMetrics
  logger: Logger
}

/**
 * Sends the stored events after the session's cursor, page by page at the client's pace, then
 * hands it to the live feed with no gap and no duplicate.
 *
 * The hand-over is exact because of the order of steps: the feed's position is read before a
 * page is scanned, so a complete page proves that nothing matching lies between the cursor and
 * that position. If the feed has moved on meanwhile, another page is read; otherwise the
 * session goes live in the same tick, and the feed offers it only events above its cursor.
 */
export async function replayThenGoLive(
  session: ClientSession,
  options: ReplayOptions,
): Promise<void> {
  const { db, feed, page, lowWaterBytes, metrics, logger } = options
  const started = performance.now()

  // A cursor beyond the stored head (a client of another, or a restored, database) would
  // hold back every event to come: such a client starts from the head instead. The head is
  // read only when the cursor is past the feed, and it is never below an event any replica
  // sent, so a client resuming from a faster replica gets no duplicate.
  if (session.cursor > (feed.position as bigint)) {
    const head = await safePosition(db)
    if (session.cursor > head) session.rewindTo(head)
  }

  while (session.isOpen) {
    // Never past the feed: it only ever reaches safe positions, so a row that commits later
    // below it cannot exist, and the live frames carry on from exactly where this stops.
    const target = feed.position as bigint
    const { events, complete } = await readStreamPage(db, {
      after: session.cursor,
      upTo: target,
      filter: session.filter,
      ...page,
    })
    if (!session.isOpen) return

    session.replay(
      events.map((row) => ({ position: BigInt(row.position), frame: renderFrame(row, logger) })),
    )

    if (complete) {
      session.advanceTo(target)
      if ((feed.position as bigint) <= session.cursor) {
        session.goLive(true)
        metrics.replaySeconds.observe((performance.now() - started) / 1000)
        return
      }
    }

    await session.drained(lowWaterBytes)
  }
}
