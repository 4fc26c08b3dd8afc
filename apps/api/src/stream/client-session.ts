import type { Socket } from 'node:net'

import {
  matchesStreamFilter,
  type StreamFilter,
  type StreamFilterColumns,
} from '@historian/queries'
import type { Logger } from 'pino'
import type { WebSocket } from 'ws'

import { caughtUpFrame, errorFrame, heartbeatFrame, PONG_FRAME } from './stream-frames.js'
import type { StreamMetrics } from './stream-metrics.js'

/**
 * How long a client closed for being slow may keep its buffer: the close frame waits behind
 * everything queued, and a peer that never reads would otherwise hold it until the pings fail.
 */
export const SLOW_CLIENT_GRACE_MS = 5_000

export interface ClientSessionOptions {
  ws: WebSocket
  filter: StreamFilter
  /** The position the client starts after: its `from`, or the live head when it gave none. */
  start: bigint
  maxBufferedBytes: number
  metrics: StreamMetrics
  logger: Logger
}

/** A frame replayed from the history; null for an event that could not be rendered. */
export interface ReplayedFrame {
  position: bigint
  frame: string | null
}

/**
 * One WebSocket client. It replays first (when it gave `from`), then is live: the fan-out
 * offers it every new event in position order, and it sends those that pass its filter and
 * come after its cursor. That cursor is what makes the switch from replay to live exact.
 */
export class ClientSession {
  readonly filter: StreamFilter
  readonly closed: Promise<void>
  readonly #ws: WebSocket
  readonly #maxBufferedBytes: number
  readonly #metrics: StreamMetrics
  readonly #logger: Logger
  #mode: 'replaying' | 'live' | 'closed' = 'replaying'
  /** Every event at or below it was sent to this client or did not pass its filter. */
  #cursor: bigint
  /** The last event frame handed to the socket: where a closed client resumes from. */
  #lastSent: bigint
  #alive = true
  #flushed: Promise<void> = Promise.resolve()

  constructor(options: ClientSessionOptions) {
    this.filter = options.filter
    this.#ws = options.ws
    this.#maxBufferedBytes = options.maxBufferedBytes
    this.#metrics = options.metrics
    this.#logger = options.logger
    this.#cursor = options.start
    this.#lastSent = options.start

    this.closed = new Promise((resolve) => {
      options.ws.once('close', () => {
        this.#mode = 'closed'
        resolve()
      })
    })
    options.ws.on('pong', () => (this.#alive = true))
    options.ws.on('message', (data, isBinary) => this.#onMessage(data.toString(), isBinary))
    options.ws.on('error', (err) => this.#logger.debug({ err }, 'stream socket error'))
  }

  get cursor(): bigint {
    return this.#cursor
  }

  get isOpen(): boolean {
    return this.#mode !== 'closed'
  }

  /**
   * Starts a page of live events; false when the client is not live. A client still holding
   * more than `maxBufferedBytes` from earlier pages is closed with 4008 instead, so it costs
   * bounded memory (the frames of a page are shared by every client). The socket is corked, so
   * that the page leaves in one write rather than a system call per frame; ws has no cork of
   * its own, hence its socket.
   */
  beginPage(): boolean {
    if (this.#mode !== 'live') return false
    if (this.#ws.bufferedAmount > this.#maxBufferedBytes) {
      this.#closeSlow()
      return false
    }
    socketOf(this.#ws)?.cork()
    return true
  }

  /** Sends what the page gave this client. */
  endPage(): void {
    if (socketOf(this.#ws)?.writableCorked) socketOf(this.#ws)?.uncork()
  }

  /**
   * Whether this live client takes the event: it comes after the cursor and passes the filter.
   * An event that does not pass moves the cursor past it.
   */
  admits(position: bigint, event: StreamFilterColumns): boolean {
    if (this.#mode !== 'live' || position <= this.#cursor) return false
    if (matchesStreamFilter(this.filter, event)) return true

    this.#cursor = position
    return false
  }

  /**
   * Sends an admitted live event, given as a complete wire frame (`wireTextFrame`); null (an
   * event that cannot be rendered) is skipped. The frame goes straight to the socket, behind
   * whatever ws has written: ws queues nothing of its own without compression, which the
   * stream does not use.
   */
  send(position: bigint, wireFrame: Buffer | null): boolean {
    this.#cursor = position
    const socket = socketOf(this.#ws)
    if (!wireFrame || this.#ws.readyState !== this.#ws.OPEN || !socket || socket.destroyed) {
      return false
    }

    socket.write(wireFrame)
    this.#lastSent = position
    return true
  }

  /** Sends a replayed page; `drained` then says when the socket has taken it. */
  replay(frames: readonly ReplayedFrame[]): void {
    if (this.#mode !== 'replaying') return

    const last = frames.findLast((entry) => entry.frame !== null)
    let sent = 0
    for (const entry of frames) {
      const { position, frame } = entry
      this.#cursor = position
      if (frame === null) continue

      if (entry === last) {
        this.#flushed = new Promise((resolve) => this.#ws.send(frame, () => resolve()))
      } else {
        this.#ws.send(frame)
      }
      this.#lastSent = position
      sent++
    }
    if (sent > 0) this.#metrics.framesSent.inc({ type: 'event' }, sent)
  }

  /** Before a replay: starts from `position`, the stored head, instead of a later `from`. */
  rewindTo(position: bigint): void {
    if (this.#mode !== 'replaying') return
    this.#cursor = position
    this.#lastSent = position
  }

  /** Replay saw everything up to `position` (no match above the cursor). */
  advanceTo(position: bigint): void {
    if (position > this.#cursor) this.#cursor = position
  }

  /** Resolves once the socket holds at most `lowWaterBytes`, or the client is gone. */
  async drained(lowWaterBytes: number): Promise<void> {
    if (this.#ws.bufferedAmount <= lowWaterBytes) return
    await Promise.race([this.#flushed, this.closed])
  }

  /**
   * From here on the fan-out delivers. Must run in the same tick as the check that the feed is
   * not ahead of the cursor; `caughtUp` sends the frame that ends a replay.
   */
  goLive(caughtUp: boolean): void {
    if (this.#mode !== 'replaying') return
    this.#mode = 'live'
    if (caughtUp) this.#sendControl(caughtUpFrame(this.#cursor), 'caught_up')
  }

  /**
   * A protocol ping each interval; a peer that did not answer the last one is dropped. While
   * frames still wait in its buffer the ping waits behind them, so such a peer is not reading
   * rather than provably dead: it is closed as too slow, with where to resume.
   */
  heartbeat(now: Date): void {
    if (this.#mode === 'closed') return
    if (!this.#alive) {
      if (this.#ws.bufferedAmount > 0) {
        this.#closeSlow()
        return
      }
      this.#logger.info({ cursor: this.#cursor.toString() }, 'stream client stopped answering')
      this.#ws.terminate()
      return
    }

    this.#alive = false
    this.#ws.ping()
    this.#sendControl(heartbeatFrame(now), 'heartbeat')
  }

  /** Ends the stream with an error frame; the client can resume from its last event. */
  fail(message: string): void {
    if (this.#mode === 'closed') return
    this.#sendControl(errorFrame(message), 'error')
    this.close(1011, `resume from=${this.#lastSent}`)
  }

  close(code: number, reason: string): void {
    if (this.#mode === 'closed') return
    this.#mode = 'closed'
    this.#ws.close(code, reason)
  }

  terminate(): void {
    this.#mode = 'closed'
    this.#ws.terminate()
  }

  #closeSlow(): void {
    this.#metrics.slowClientCloses.inc()
    this.#logger.info(
      { resumeFrom: this.#lastSent.toString(), bufferedBytes: this.#ws.bufferedAmount },
      'stream client too slow',
    )
    this.close(4008, `resume from=${this.#lastSent}`)
    setTimeout(() => this.#ws.terminate(), SLOW_CLIENT_GRACE_MS).unref()
  }

  #onMessage(text: string, isBinary: boolean): void {
    if (!isBinary && text === 'ping') this.#sendControl(PONG_FRAME, 'pong')
    else this.#sendControl(errorFrame('the stream only understands the text message ping'), 'error')
  }

  #sendControl(frame: string, type: string): void {
    if (this.#mode === 'closed') return
    if (this.#mode === 'live' && this.#ws.bufferedAmount > this.#maxBufferedBytes) {
      this.#closeSlow()
      return
    }
    this.#ws.send(frame)
    this.#metrics.framesSent.inc({ type })
  }
}

function socketOf(ws: WebSocket): Socket | null | undefined {
  return (ws as unknown as { _socket?: Socket | null })._socket
}
