import type { EventSummary } from '@historian/queries'

import type { ClientSession } from './client-session.js'

/** Every connected client of this process, and the in-memory delivery of new events to them. */
export class Fanout {
  readonly #sessions = new Set<ClientSession>()

  get size(): number {
    return this.#sessions.size
  }

  get sessions(): ReadonlySet<ClientSession> {
    return this.#sessions
  }

  add(session: ClientSession): void {
    this.#sessions.add(session)
  }

  delete(session: ClientSession): void {
    this.#sessions.delete(session)
  }

  /** Whether any live client would be sent this event. */
  wants(summary: EventSummary): boolean {
    const position = BigInt(summary.position)
    for (const session of this.#sessions) {
      if (session.wants(position, summary)) return true
    }
    return false
  }

  /**
   * Offers a page of new events, in position order, to every client; each takes what passes
   * its filter. Synchronous, so no client changes state halfway through a page.
   */
  deliver(
    summaries: readonly EventSummary[],
    frames: ReadonlyMap<string, Buffer | null>,
  ): void {
    for (const summary of summaries) {
      const position = BigInt(summary.position)
      const frame = frames.get(summary.position)
      for (const session of this.#sessions) session.offer(position, summary, frame)
    }
  }
}
