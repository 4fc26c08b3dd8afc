import type { Kysely, Transaction } from 'kysely'

import type { Database } from '@historian/db'
import type { DecodedEvent } from '@historian/envelope'
import { appendEvents, notifyAppended, type AppendedEvent } from '@historian/queries'

import { classifyWriteError } from './classify-error.js'

/** Work done inside the batch transaction for the newly inserted events (the projections). */
export type ProjectAppended = (
  trx: Transaction<Database>,
  appended: readonly AppendedEvent[],
) => Promise<void>

export interface WriteOutcome {
  appended: AppendedEvent[]
  /** Events the database refused because of their own data, with its message. */
  rejected: Array<{ event: DecodedEvent; error: string }>
  transactions: number
}

/**
 * Writes decoded events: one transaction for the whole batch (insert, projections, doorbell).
 * When the database rejects the batch because of a row's data, the batch is halved until that
 * row stands alone; the rest is stored. Transient failures are thrown for the caller to retry.
 */
export class BatchWriter {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly project: ProjectAppended,
  ) {}

  async write(events: readonly DecodedEvent[]): Promise<WriteOutcome> {
    const outcome: WriteOutcome = { appended: [], rejected: [], transactions: 0 }
    await this.#writeOrSplit(dedupe(events), outcome)
    return outcome
  }

  async #writeOrSplit(events: readonly DecodedEvent[], outcome: WriteOutcome): Promise<void> {
    if (events.length === 0) return

    try {
      outcome.transactions++
      const appended = await this.db.transaction().execute(async (trx) => {
        const rows = await appendEvents(trx, events)
        await this.project(trx, rows)
        await notifyAppended(trx, rows)
        return rows
      })
      outcome.appended.push(...appended)
    } catch (error) {
      if (classifyWriteError(error) === 'transient') throw error

      const [only] = events
      if (events.length === 1 && only) {
        outcome.rejected.push({ event: only, error: (error as Error).message })
        return
      }
      const middle = Math.ceil(events.length / 2)
      await this.#writeOrSplit(events.slice(0, middle), outcome)
      await this.#writeOrSplit(events.slice(middle), outcome)
    }
  }
}

/** Two copies of one event in a batch are one insert; the second is a duplicate. */
function dedupe(events: readonly DecodedEvent[]): DecodedEvent[] {
  const seen = new Set<string>()
  return events.filter((event) => !seen.has(event.eventId) && seen.add(event.eventId))
}
