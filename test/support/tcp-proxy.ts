import net from 'node:net'

/**
 * A TCP proxy on 127.0.0.1 that a test controls, to put between a process and PostgreSQL or
 * RabbitMQ: `cut()` drops every connection and refuses new ones until `restore()`; `stall()`
 * keeps connections open but stops moving bytes. Other test files keep their own connections.
 */
export class TcpProxy {
  readonly #target: { host: string; port: number }
  readonly #sockets = new Set<net.Socket>()
  #server: net.Server | undefined
  #mode: 'open' | 'cut' | 'stalled' = 'open'
  port = 0

  constructor(target: { host: string; port: number }) {
    this.#target = target
  }

  /** Listens on a free port (or the one it had before, after a `cut`). */
  async start(port = this.port): Promise<number> {
    const server = net.createServer((client) => this.#accept(client))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve())
    })
    this.#server = server
    this.port = (server.address() as net.AddressInfo).port
    return this.port
  }

  /** Drops every open connection; new ones are reset until `restore()`. */
  cut(): void {
    this.#mode = 'cut'
    for (const socket of this.#sockets) socket.destroy()
    this.#sockets.clear()
  }

  /** Keeps connections open but forwards nothing in either direction. */
  stall(): void {
    this.#mode = 'stalled'
    for (const socket of this.#sockets) socket.pause()
  }

  restore(): void {
    this.#mode = 'open'
    for (const socket of this.#sockets) socket.resume()
  }

  async close(): Promise<void> {
    this.cut()
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()))
  }

  /** Connections currently open through the proxy (client side and server side counted once). */
  get connections(): number {
    return this.#sockets.size / 2
  }

  #accept(client: net.Socket): void {
    if (this.#mode === 'cut') {
      client.destroy()
      return
    }

    const upstream = net.connect(this.#target)
    const pair = [client, upstream]
    for (const socket of pair) {
      this.#sockets.add(socket)
      socket.on('error', () => undefined)
      socket.on('close', () => {
        this.#sockets.delete(socket)
        for (const other of pair) other.destroy()
      })
    }
    if (this.#mode === 'stalled') for (const socket of pair) socket.pause()

    client.pipe(upstream)
    upstream.pipe(client)
  }
}
