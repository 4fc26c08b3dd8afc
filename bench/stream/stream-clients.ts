import { randomBytes } from 'node:crypto'
import { request } from 'node:http'
import type { Socket } from 'node:net'

import { FrameReader } from './frame-reader.js'

/**
 * The bench's stream clients, in a process of their own (`bench/stream.ts` forks it) so that
 * their work does not delay the doorbell timestamps the bench takes. Each client reads only the
 * position and the arrival time of each event frame. Arguments: the stream URL and the number
 * of clients.
 */

/** What each client saw: positions and arrival times (epoch milliseconds, sub-ms precision). */
export interface ClientRecord {
  positions: Float64Array
  times: Float64Array
  closeCode: number | null
}

const url = new URL(process.argv[2] as string)
const clients = Number(process.argv[3])

const records = Array.from({ length: clients }, () => ({
  positions: [] as number[],
  times: [] as number[],
  closeCode: null as number | null,
}))

const sockets = await Promise.all(records.map((record) => connect(record)))
process.send?.({ type: 'ready' })

process.on('message', async (message: { lastPosition: number; timeoutMs: number }) => {
  const deadline = Date.now() + message.timeoutMs
  const behind = () => records.some((r) => (r.positions.at(-1) ?? 0) < message.lastPosition)
  while (behind() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))

  for (const socket of sockets) socket.destroy()
  const result: ClientRecord[] = records.map((record) => ({
    positions: Float64Array.from(record.positions),
    times: Float64Array.from(record.times),
    closeCode: record.closeCode,
  }))
  process.send?.({ type: 'result', records: result }, () => process.exit(0))
})

/** A WebSocket handshake over plain HTTP, then frames read straight off the socket. */
function connect(record: (typeof records)[number]): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const handshake = request({
      host: url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
      },
    })
    handshake.once('response', (res) => reject(new Error(`stream answered ${res.statusCode}`)))
    handshake.once('error', reject)
    handshake.once('upgrade', (_res, socket: Socket, head: Buffer) => {
      const reader = new FrameReader({
        event: (position, at) => {
          record.positions.push(position)
          record.times.push(at)
        },
        ping: (payload) => socket.write(maskedFrame(0xa, payload)),
        close: (code) => (record.closeCode = code),
      })
      const now = () => performance.timeOrigin + performance.now()
      if (head.length > 0) reader.push(head, now())
      socket.on('data', (chunk: Buffer) => reader.push(chunk, now()))
      socket.on('error', () => undefined)
      resolve(socket)
    })
    handshake.end()
  })
}

/** A client frame must be masked (RFC 6455, section 5.3); control payloads are short. */
function maskedFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4)
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] as number)))
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked])
}
