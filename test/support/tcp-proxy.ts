import net from 'node:net'

/**
 * A TCP proxy on 127.0.0.1 that a test controls, to put between a process and PostgreSQL or
 * RabbitMQ: `cut()` drops every connection and refuses new ones until `restore()`; `stall()`
 * keeps connections open but holds every byte until `restore()`. Connections that other test
 * files opened straight to the server are not touched.
 */
export class TcpProxy {
  readonly #target: { host: string; port: number }
  readonly #links = new Set<Link>()
  #server: net.Server | undefined
  #mode: 'open' | 'cut' | 'stalled' = 'open'
  port = 0

  constructor(target: { host: string; port: number }) {
    this.#target = target
  }

  /** Listens on a free port on 127.0.0.1. */
  async start(): Promise<number> {
    const server = net.createServer((client) => this.#accept(client))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    this.#server = server
    this.port = (server.address() as net.AddressInfo).port
    return this.port
  }

  /** Drops every open connection; new ones are reset until `restore()`. */
  cut(): void {
    this.#mode = 'cut'
    for (const link of this.#links) link.destroy()
    this.#links.clear()
  }

  /** Keeps connections open but forwards nothing in either direction until `restore()`. */
  stall(): void {
    this.#mode = 'stalled'
  }

  restore(): void {
    this.#mode = 'open'
    for (const link of this.#links) link.flush()
  }

  /** Connections currently open through the proxy. */
  get connections(): number {
    return this.#links.size
  }

  async close(): Promise<void> {
    this.cut()
    const server = this.#server
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  #accept(client: net.Socket): void {
    if (this.#mode === 'cut') {
      client.destroy()
      return
    }

    const upstream = net.connect(this.#target)
    const link = new Link(client, upstream, () => this.#mode === 'stalled')
    this.#links.add(link)
    link.onClose(() => this.#links.delete(link))
  }
}

/** One proxied connection; while stalled, bytes wait in memory instead of moving. */
class Link {
  readonly #held: Array<[net.Socket, Buffer]> = []

  constructor(
    private readonly client: net.Socket,
    private readonly upstream: net.Socket,
    private readonly stalled: () => boolean,
  ) {
    this.#forward(client, upstream)
    this.#forward(upstream, client)
  }

  flush(): void {
    for (const [to, chunk] of this.#held.splice(0)) to.write(chunk)
  }

  destroy(): void {
    this.client.destroy()
    this.upstream.destroy()
  }

  onClose(listener: () => void): void {
    this.client.once('close', listener)
  }

  #forward(from: net.Socket, to: net.Socket): void {
    from.on('data', (chunk: Buffer) => {
      if (this.stalled() || this.#held.length) this.#held.push([to, chunk])
      else to.write(chunk)
    })
    from.on('error', () => undefined)
    from.on('close', () => this.destroy())
  }
}
