import WebSocket from 'ws'

/** A parsed stream frame; tests read `type`, `position` and sometimes `envelope`. */
export interface StreamFrame {
  type: string
  position?: number
  routing_key?: string
  envelope?: Record<string, unknown>
  message?: string
  timestamp?: string
}

export interface CloseInfo {
  code: number
  reason: string
}

export interface Refusal {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A WebSocket client of the live stream that keeps every frame it receives, for assertions. */
export class StreamClient {
  readonly frames: StreamFrame[] = []
  /** The frame text as received, for checks that must not go through `JSON.parse`. */
  readonly texts: string[] = []
  readonly closed: Promise<CloseInfo>

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
    })
    ws.on('message', (data) => {
      const text = data.toString()
      this.texts.push(text)
      this.frames.push(JSON.parse(text) as StreamFrame)
    })
  }

  /** Opens a connection; rejects with the refusal when the server answers with HTTP instead. */
  static connect(url: string, options: WebSocket.ClientOptions = {}): Promise<StreamClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options)
      const client = new StreamClient(ws)
      ws.once('open', () => resolve(client))
      ws.once('error', reject)
      ws.once('unexpected-response', (_req, res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString()))
        res.on('end', () => reject({ status: res.statusCode ?? 0, headers: res.headers, body }))
      })
    })
  }

  /** The refusal of a connection that must not be accepted. */
  static async refusal(url: string, options: WebSocket.ClientOptions = {}): Promise<Refusal> {
    try {
      const client = await StreamClient.connect(url, options)
      client.close()
    } catch (error) {
      if (typeof (error as Refusal).status === 'number') return error as Refusal
      throw error
    }
    throw new Error(`connection to ${url} was accepted`)
  }

  get events(): StreamFrame[] {
    return this.frames.filter((frame) => frame.type === 'event')
  }

  get positions(): number[] {
    return this.events.map((frame) => frame.position as number)
  }

  /** Waits until `check` holds for the frames received so far. */
  async waitFor(
    check: (client: StreamClient) => boolean,
    { timeoutMs = 10_000, what = 'frames' } = {},
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!check(this)) {
      if (Date.now() > deadline) {
        const last = JSON.stringify(this.frames.slice(-3))
        throw new Error(`timed out waiting for ${what}; ${this.frames.length} frames, last ${last}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  /** Waits until the last event received has at least this position. */
  waitForPosition(position: number, timeoutMs?: number): Promise<void> {
    return this.waitFor((client) => (client.positions.at(-1) ?? -1) >= position, {
      timeoutMs,
      what: `position ${position}`,
    })
  }

  /** Stops reading from the socket, as a client that has stalled would. */
  pause(): void {
    this.#socket.pause()
  }

  resume(): void {
    this.#socket.resume()
  }

  send(text: string): void {
    this.ws.send(text)
  }

  close(): void {
    this.ws.close()
  }

  terminate(): void {
    this.ws.terminate()
  }

  get #socket(): import('node:net').Socket {
    return (this.ws as unknown as { _socket: import('node:net').Socket })._socket
  }
}
