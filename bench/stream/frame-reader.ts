/** What the bench needs from each frame: event positions, and control frames to answer. */
export interface FrameSink {
  event: (position: number, at: number) => void
  ping: (payload: Buffer) => void
  close: (code: number) => void
}

const EVENT_PREFIX = Buffer.from('{"type":"event","position":')
/** Enough of a payload to hold the prefix and any position. */
const HEAD_BYTES = EVENT_PREFIX.length + 20

/**
 * Reads the server's WebSocket frames (RFC 6455, unmasked, unfragmented text) straight from the
 * socket, keeping only the first bytes of each payload: a bench client that reads only the
 * position and the time costs as little as it can, so the latency measured is the server's.
 */
export class FrameReader {
  readonly #sink: FrameSink
  #buffered: Buffer = Buffer.alloc(0)
  /** Payload bytes of the current frame still to skip, once its head has been read. */
  #skip = 0

  constructor(sink: FrameSink) {
    this.#sink = sink
  }

  push(chunk: Buffer, at: number): void {
    if (this.#skip >= chunk.length) {
      this.#skip -= chunk.length
      return
    }
    let data = chunk.subarray(this.#skip)
    this.#skip = 0
    if (this.#buffered.length > 0) data = Buffer.concat([this.#buffered, data])

    let offset = 0
    for (;;) {
      const frame = this.#frameAt(data, offset)
      if (!frame) break

      const available = Math.min(frame.length, data.length - frame.start)
      if (frame.opcode !== 0x1 && available < frame.length) break
      if (frame.opcode === 0x1 && available < Math.min(frame.length, HEAD_BYTES)) break

      this.#handle(frame.opcode, data.subarray(frame.start, frame.start + available), at)
      offset = frame.start + available
      if (available < frame.length) {
        this.#skip = frame.length - available
        break
      }
    }
    this.#buffered = Buffer.from(data.subarray(offset))
  }

  #frameAt(data: Buffer, offset: number) {
    if (data.length - offset < 2) return undefined
    const opcode = (data[offset] as number) & 0x0f
    const short = (data[offset + 1] as number) & 0x7f

    if (short < 126) return { opcode, length: short, start: offset + 2 }
    if (short === 126) {
      if (data.length - offset < 4) return undefined
      return { opcode, length: data.readUInt16BE(offset + 2), start: offset + 4 }
    }
    if (data.length - offset < 10) return undefined
    return { opcode, length: Number(data.readBigUInt64BE(offset + 2)), start: offset + 10 }
  }

  #handle(opcode: number, payload: Buffer, at: number): void {
    if (opcode === 0x1) {
      if (payload.subarray(0, EVENT_PREFIX.length).equals(EVENT_PREFIX)) {
        const digits = payload.toString('latin1', EVENT_PREFIX.length, HEAD_BYTES)
        this.#sink.event(Number.parseInt(digits, 10), at)
      }
    } else if (opcode === 0x9) {
      this.#sink.ping(Buffer.from(payload))
    } else if (opcode === 0x8) {
      this.#sink.close(payload.length >= 2 ? payload.readUInt16BE(0) : 1005)
    }
  }
}
