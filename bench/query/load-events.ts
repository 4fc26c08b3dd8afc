import type { Database } from '@historian/db'
import type { DecodedEvent } from '@historian/envelope'
import { appendEvents, applyProjections } from '@historian/queries'
import { sql, type Kysely } from 'kysely'

const BATCH_SIZE = 5000

/**
 * The bench's bulk path is ingest's own write path: per batch of 5,000, one transaction with
 * `appendEvents` (a multi-row `INSERT ... SELECT FROM unnest(...)`, ON CONFLICT DO NOTHING, the
 * statement trigger included) and `applyProjections`, with `synchronous_commit = off` for the
 * loading session only, since a crash would just mean running the bench again. The next batch
 * is generated while the previous one is written.
 * Returns the number of events stored.
 */
export async function loadEvents(
  db: Kysely<Database>,
  events: Iterator<DecodedEvent>,
  onProgress: (stored: number) => void,
): Promise<number> {
  let stored = 0
  let writing: Promise<void> | undefined

  for (let batch = nextBatch(events); batch.length > 0; batch = nextBatch(events)) {
    await writing
    const rows = batch
    writing = db.transaction().execute(async (trx) => {
      await sql`SET LOCAL synchronous_commit = off`.execute(trx)
      const appended = await appendEvents(trx, rows)
      await applyProjections(trx, appended)
      stored += appended.length
      onProgress(stored)
    })
  }
  await writing

  return stored
}

function nextBatch(events: Iterator<DecodedEvent>): DecodedEvent[] {
  const batch: DecodedEvent[] = []
  for (let next = events.next(); !next.done; next = events.next()) {
    batch.push(next.value)
    if (batch.length === BATCH_SIZE) break
  }
  return batch
}
