import WebSocket from 'ws'

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

const EVENT_PREFIX = '{"type":"event","position":'
const url = process.argv[2] as string
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

  for (const ws of sockets) ws.terminate()
  const result: ClientRecord[] = records.map((record) => ({
    positions: Float64Array.from(record.positions),
    times: Float64Array.from(record.times),
    closeCode: record.closeCode,
  }))
  process.send?.({ type: 'result', records: result }, () => process.exit(0))
})

function connect(record: (typeof records)[number]): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    // Only the position is read; validating every byte as UTF-8 would cost more than the rest.
    const ws = new WebSocket(url, { skipUTF8Validation: true })
    ws.on('message', (data: Buffer) => {
      const now = performance.timeOrigin + performance.now()
      const head = data.toString('latin1', 0, 48)
      if (!head.startsWith(EVENT_PREFIX)) return
      record.positions.push(Number.parseInt(head.slice(EVENT_PREFIX.length), 10))
      record.times.push(now)
    })
    ws.once('close', (code) => (record.closeCode = code))
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}
