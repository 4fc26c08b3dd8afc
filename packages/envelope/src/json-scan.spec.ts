import { describe, expect, it } from 'vitest'

import { exceedsDepth, hasNulEscape, replaceNulEscapes, sliceTopLevel } from './json-scan.js'

describe('sliceTopLevel', () => {
  it('returns the exact source text of each top-level value', () => {
    const text =
      '{ "big" : 12345678901234567890 , "float":0.1000000000000000055511151231257827,' +
      '"nested": {"a": [1, 2, {"b": "}]"}]}, "text": "say \\"hi\\"", "none": null, "yes":true }'

    expect(Object.fromEntries(sliceTopLevel(text))).toEqual({
      big: '12345678901234567890',
      float: '0.1000000000000000055511151231257827',
      nested: '{"a": [1, 2, {"b": "}]"}]}',
      text: '"say \\"hi\\""',
      none: 'null',
      yes: 'true',
    })
  })

  it('decodes escaped keys the way JSON.parse does', () => {
    const members = sliceTopLevel('{"a\\u0062c": 1, "tab\\there": 2, "\\\\": 3}')

    expect([...members.keys()]).toEqual(['abc', 'tab\there', '\\'])
  })

  it('keeps the last value of a duplicate key at the first key position, like JSON.parse', () => {
    const text = '{"a": 1, "b": 2, "a": 3}'

    expect([...sliceTopLevel(text)]).toEqual([
      ['a', '3'],
      ['b', '2'],
    ])
    expect(Object.entries(JSON.parse(text) as object)).toEqual([
      ['a', 3],
      ['b', 2],
    ])
  })

  it('reads an empty object and skips a leading byte order mark', () => {
    expect(sliceTopLevel('{}').size).toBe(0)
    expect(sliceTopLevel(' \n{ }\n').size).toBe(0)
    expect(sliceTopLevel('\ufeff{"a":1}').get('a')).toBe('1')
  })

  it('handles strings ending in escaped backslashes', () => {
    const members = sliceTopLevel('{"path": "C:\\\\dir\\\\", "next": "x"}')

    expect(members.get('path')).toBe('"C:\\\\dir\\\\"')
    expect(members.get('next')).toBe('"x"')
  })

  it('throws on text that is not a JSON object', () => {
    const malformed = ['', '[]', '{"a" 1}', '{"a": 1', '{"a": }', '{"a": "open}', '{"a": {"b": 1}']

    for (const text of malformed) expect(() => sliceTopLevel(text), text).toThrow(SyntaxError)
  })
})

describe('exceedsDepth', () => {
  it('counts nested objects and arrays', () => {
    const fourDeep = '{"a":[{"b":[1]}]}'

    expect(exceedsDepth(fourDeep, 4)).toBe(false)
    expect(exceedsDepth(fourDeep, 3)).toBe(true)
  })

  it('ignores brackets inside strings, including after escaped quotes', () => {
    expect(exceedsDepth('{"a":"[[[[{{{{"}', 1)).toBe(false)
    expect(exceedsDepth('{"a":"\\"[[[[\\\\"}', 1)).toBe(false)
    expect(exceedsDepth('{"a":"\\\\"}', 1)).toBe(false)
  })

  it('scans a very deep document without recursion', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000)

    expect(exceedsDepth(deep, 4096)).toBe(true)
    expect(exceedsDepth(deep, 200_000)).toBe(false)
  })

  it('ends on an unterminated string', () => {
    expect(exceedsDepth('{"a":"[[[[', 1)).toBe(false)
  })
})

describe('hasNulEscape', () => {
  it('finds a \\u0000 escape only when its backslash is not escaped', () => {
    expect(hasNulEscape('{"a":"x\\u0000y"}')).toBe(true)
    expect(hasNulEscape('{"a":"x\\\\\\u0000y"}')).toBe(true)
    expect(hasNulEscape('{"a":"x\\\\u0000y"}')).toBe(false)
    expect(hasNulEscape('{"a":"x\\u0001y"}')).toBe(false)
    expect(hasNulEscape('{"a":"x"}')).toBe(false)
  })
})

describe('replaceNulEscapes', () => {
  it('rewrites unescaped \\u0000 escapes as \\ufffd and leaves the rest', () => {
    const text = '{"a":"\\u0000","b":"\\\\u0000","c":"\\\\\\u0000\\u0000"}'

    expect(replaceNulEscapes(text)).toBe('{"a":"\\ufffd","b":"\\\\u0000","c":"\\\\\\ufffd\\ufffd"}')
    expect(JSON.parse(replaceNulEscapes(text))).toEqual({
      a: '\ufffd',
      b: '\\u0000',
      c: '\\\ufffd\ufffd',
    })
  })

  it('returns text without escapes unchanged', () => {
    expect(replaceNulEscapes('{"a":"b"}')).toBe('{"a":"b"}')
  })
})
