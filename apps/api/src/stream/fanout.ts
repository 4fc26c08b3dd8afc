import type { StreamEventRow } from '@historian/queries'
import type { Logger } from 'pino'

import type { ClientSession } from './client-session.js'
import { renderFrame } from './render-frame.js'
import { wireTextFrame } from './wire-frame.js'

/** Every connected client of this process, and the in-memory delivery of new events to them. */
export class Fanout {
  readonly #sessions = new Set<ClientSession>()
  readonly #logger: Logger

  constructor(logger: Logger) {
    this.#logger = logger
  }

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

  /**
   * Offers a page of new events, in position order, to every live client; each takes what
   * passes its filter. Synchronous, so no client changes state halfway through a page. A frame
   * is rendered once, when the first client takes it, and shared. Client by client rather than
   * event by event, so that each socket gets its page in one write as soon as it is ready.
   * Returns how many frames were sent.
   */
  deliver(events: readonly StreamEventRow[]): number {
    const positions = events.map((event) => BigInt(event.position))
    const frames = new Array<Buffer | null | undefined>(events.length)
    let sent = 0

    for (const session of this.#sessions) {
      if (!session.beginPage()) continue
      for (let i = 0; i < events.length; i++) {
        const event = events[i] as StreamEventRow
        if (!session.admits(positions[i] as bigint, event)) continue

        frames[i] ??= wireFrameOf(renderFrame(event, this.#logger))
        if (session.send(positions[i] as bigint, frames[i] ?? null)) sent++
      }
      session.endPage()
    }
    return sent
  }
}

function wireFrameOf(text: string | null): Buffer | null {
  return text === null ? null : wireTextFrame(text)
}
