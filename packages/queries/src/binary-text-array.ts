/** Postgres's type oid for `text`, which its binary array format names for every element. */
const TEXT_OID = 25

/** ndim, has-nulls flag, element type, then the one dimension's length and lower bound. */
const HEADER_BYTES = 20

/**
 * A one-dimensional `text[]` in Postgres's binary wire format (what `array_send` writes and
 * `array_recv` reads). node-postgres sends a Buffer parameter in binary, so a statement that
 * says `$1::text[]` receives each element as its bytes plus a length.
 *
 * Why not the driver's own array literal: it escapes every quote and backslash of every
 * element into one large string, and Postgres then scans it character by character to undo
 * that. For a batch of JSON bodies both ends cost more than the insert's index work; here the
 * bytes are copied once and read back by length.
 *
 * Elements are strings (written as UTF-8), Buffers holding UTF-8 text (copied as they are), or
 * null. Postgres checks the encoding of each element as it reads it, and text cannot hold a
 * NUL byte, so a caller must not pass one.
 */
export function encodeTextArray(values: ReadonlyArray<string | Buffer | null>): Buffer {
  let size = HEADER_BYTES
  let hasNulls = 0
  for (const value of values) {
    size += 4
    if (value === null) hasNulls = 1
    else size += typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length
  }

  const out = Buffer.allocUnsafe(size)
  out.writeInt32BE(1, 0)
  out.writeInt32BE(hasNulls, 4)
  out.writeUInt32BE(TEXT_OID, 8)
  out.writeInt32BE(values.length, 12)
  out.writeInt32BE(1, 16)

  let offset = HEADER_BYTES
  for (const value of values) {
    if (value === null) {
      offset = out.writeInt32BE(-1, offset)
      continue
    }
    if (typeof value === 'string') {
      const written = out.write(value, offset + 4, 'utf8')
      out.writeInt32BE(written, offset)
      offset += 4 + written
      continue
    }
    out.writeInt32BE(value.length, offset)
    offset += 4 + value.copy(out, offset + 4)
  }
  return out
}
