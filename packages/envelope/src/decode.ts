import { exceedsDepth, hasNulEscape } from './json-scan.js'
import { asObject } from './json-value.js'
import { readEvent } from './read-event.js'
import type { DecodeLimits, DecodeResult, IncomingMessage, RefusalReason } from './types.js'

// ignoreBOM keeps a leading byte order mark in the text, so the stored body stays exact.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

const BYTE_ORDER_MARK = 0xfeff

/**
 * Decodes one message into the row the Historian stores, or says why it must be refused
 * (DESIGN section 3). Pure and synchronous; it never throws for any body (only for a
 * `receivedAt` that is not a valid date, which is the caller's bug).
 *
 * Refusals, checked in this order: a body over `maxMessageBytes` (`too_large`); bytes that are
 * not UTF-8 (`invalid_json`); `[`/`{` nested deeper than `maxJsonDepth` (`too_deep`); text that
 * is not JSON (`invalid_json`); JSON that is not an object (`not_an_object`). Every JSON object
 * is stored, repaired and flagged where needed. A leading byte order mark is tolerated and kept.
 *
 * @example
 * const result = decode(message, { maxMessageBytes: 16 * 1024 * 1024, maxJsonDepth: 4096 })
 * if (!result.ok) deadLetter(message, result.reason)
 */
export function decode(message: IncomingMessage, limits: DecodeLimits): DecodeResult {
  const { body } = message
  if (body.length > limits.maxMessageBytes) {
    const detail = `body is ${body.length} bytes, over the ${limits.maxMessageBytes}-byte limit`
    return refuse('too_large', detail)
  }

  let text: string
  try {
    text = utf8.decode(body)
  } catch {
    return refuse('invalid_json', 'body is not valid UTF-8')
  }

  const json = text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text

  // Nesting needs one character per level, so a short body cannot be too deep.
  if (json.length > limits.maxJsonDepth && exceedsDepth(json, limits.maxJsonDepth)) {
    return refuse('too_deep', `JSON nests deeper than ${limits.maxJsonDepth} levels`)
  }

  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (error) {
    return refuse('invalid_json', parseFailure(error))
  }

  const object = asObject(value)
  if (object === null) return refuse('not_an_object', `body is ${describe(value)}, not an object`)

  return { ok: true, event: readEvent(object, text, message, hasNulEscape(json)) }
}

function refuse(reason: RefusalReason, detail: string): DecodeResult {
  return { ok: false, reason, detail }
}

/** V8's message quotes the body; only the position is kept, so no payload leaks into headers. */
function parseFailure(error: unknown): string {
  const position = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined
  return position === undefined
    ? 'body is not valid JSON'
    : `body is not valid JSON (error at position ${position})`
}

function describe(value: unknown): string {
  if (value === null) return 'JSON null'
  if (Array.isArray(value)) return 'a JSON array'
  return `a JSON ${typeof value}`
}
