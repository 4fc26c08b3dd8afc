/**
 * @module Linear scans over JSON text that never build values, so they keep every digit and
 * cost little on multi-megabyte bodies. Strings are skipped with `indexOf`, not char by char.
 */

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const BYTE_ORDER_MARK = 0xfeff

const NUL_ESCAPE = '\\u0000'
const REPLACEMENT_ESCAPE = '\\ufffd'

/**
 * @internal True when `[` and `{` outside strings nest deeper than `maxDepth`. Meant to run
 * before `JSON.parse`; on text that is not JSON the answer is approximate but the scan ends.
 */
export function exceedsDepth(text: string, maxDepth: number): boolean {
  let depth = 0
  let index = 0

  while (index < text.length) {
    const code = text.charCodeAt(index)
    if (code === QUOTE) {
      index = stringEnd(text, index)
      if (index === -1) return false
      continue
    }

    if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth += 1
      if (depth > maxDepth) return true
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth -= 1
    }
    index += 1
  }

  return false
}

/** @internal True when the text holds a `\u0000` escape whose backslash is not itself escaped. */
export function hasNulEscape(text: string): boolean {
  let at = text.indexOf(NUL_ESCAPE)
  while (at !== -1) {
    if (backslashesBefore(text, at) % 2 === 0) return true
    at = text.indexOf(NUL_ESCAPE, at + 1)
  }

  return false
}

/** @internal Rewrites every unescaped `\u0000` escape as `\ufffd`; everything else is kept. */
export function replaceNulEscapes(text: string): string {
  let at = text.indexOf(NUL_ESCAPE)
  if (at === -1) return text

  let result = ''
  let copiedUpTo = 0
  while (at !== -1) {
    if (backslashesBefore(text, at) % 2 === 0) {
      result += text.slice(copiedUpTo, at) + REPLACEMENT_ESCAPE
      copiedUpTo = at + NUL_ESCAPE.length
    }
    at = text.indexOf(NUL_ESCAPE, at + NUL_ESCAPE.length)
  }

  return result + text.slice(copiedUpTo)
}

/**
 * Splits a JSON object's text into its top-level members without parsing the values: for each
 * key (decoded, as `JSON.parse` would give it) the exact source text of its value. Duplicate
 * keys behave as in `JSON.parse`: the last value wins, at the first key's position.
 *
 * @throws SyntaxError when the text is not a JSON object.
 * @example sliceTopLevel('{"n": 12345678901234567890}').get('n') // '12345678901234567890'
 */
export function sliceTopLevel(text: string): Map<string, string> {
  const members = new Map<string, string>()

  let index = text.charCodeAt(0) === BYTE_ORDER_MARK ? 1 : 0
  index = skipWhitespace(text, index)
  expect(text, index, OPEN_BRACE)
  index = skipWhitespace(text, index + 1)
  if (text.charCodeAt(index) === CLOSE_BRACE) return members

  for (;;) {
    expect(text, index, QUOTE)
    const keyEnd = stringEnd(text, index)
    if (keyEnd === -1) throw malformed(index)
    const key = decodeKey(text.slice(index, keyEnd))

    index = skipWhitespace(text, keyEnd)
    expect(text, index, COLON)
    const valueStart = skipWhitespace(text, index + 1)
    const valueEnd = skipValue(text, valueStart)
    members.set(key, text.slice(valueStart, valueEnd))

    index = skipWhitespace(text, valueEnd)
    const next = text.charCodeAt(index)
    if (next === CLOSE_BRACE) return members
    expect(text, index, COMMA)
    index = skipWhitespace(text, index + 1)
  }
}

/** Index just past the closing quote of the string opening at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  let at = text.indexOf('"', open + 1)
  while (at !== -1) {
    if (backslashesBefore(text, at) % 2 === 0) return at + 1
    at = text.indexOf('"', at + 1)
  }

  return -1
}

function backslashesBefore(text: string, index: number): number {
  let count = 0
  while (index - count - 1 >= 0 && text.charCodeAt(index - count - 1) === BACKSLASH) count += 1
  return count
}

function skipValue(text: string, start: number): number {
  const first = text.charCodeAt(start)
  if (first === QUOTE) {
    const end = stringEnd(text, start)
    if (end === -1) throw malformed(start)
    return end
  }
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return containerEnd(text, start)

  let index = start
  while (index < text.length && !endsScalar(text.charCodeAt(index))) index += 1
  if (index === start) throw malformed(start)
  return index
}

function containerEnd(text: string, open: number): number {
  let depth = 0
  let index = open

  while (index < text.length) {
    const code = text.charCodeAt(index)
    if (code === QUOTE) {
      index = stringEnd(text, index)
      if (index === -1) break
      continue
    }

    if (code === OPEN_BRACE || code === OPEN_BRACKET) depth += 1
    else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth -= 1
      if (depth === 0) return index + 1
    }
    index += 1
  }

  throw malformed(open)
}

function endsScalar(code: number): boolean {
  return code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET || isWhitespace(code)
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09
}

function skipWhitespace(text: string, index: number): number {
  while (index < text.length && isWhitespace(text.charCodeAt(index))) index += 1
  return index
}

function decodeKey(quoted: string): string {
  return quoted.includes('\\') ? (JSON.parse(quoted) as string) : quoted.slice(1, -1)
}

function expect(text: string, index: number, code: number): void {
  if (text.charCodeAt(index) !== code) throw malformed(index)
}

function malformed(index: number): SyntaxError {
  return new SyntaxError(`not a JSON object: unexpected input at offset ${index}`)
}
