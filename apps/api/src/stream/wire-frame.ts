/**
 * A complete WebSocket text frame as it goes on the wire from a server: final, unmasked, with
 * the payload length in 7, 16 or 64 bits (RFC 6455, section 5.2). The live fan-out builds it
 * once per event and writes it to every client's socket as is; `ws.send` would frame the same
 * bytes again for each client, which at a hundred clients is a third of the fan-out's time.
 */
export function wireTextFrame(text: string): Buffer {
  const length = Buffer.byteLength(text)
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10
  const frame = Buffer.allocUnsafe(headerLength + length)

  frame[0] = 0x81
  if (length < 126) {
    frame[1] = length
  } else if (length < 65_536) {
    frame[1] = 126
    frame.writeUInt16BE(length, 2)
  } else {
    frame[1] = 127
    frame.writeBigUInt64BE(BigInt(length), 2)
  }

  frame.write(text, headerLength)
  return frame
}
