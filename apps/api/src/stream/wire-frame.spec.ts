import { describe, expect, it } from 'vitest'
import * as ws from 'ws'

import { wireTextFrame } from './wire-frame.js'

/** ws's frame parser, which its clients use; its typings leave it out. */
const { Receiver } = ws as unknown as {
  Receiver: new (options: { isServer: boolean }) => NodeJS.WritableStream & {
    on(event: 'message', listener: (data: Buffer) => void): void
  }
}

/** Parses frames the way a ws client does. */
function receive(frame: Buffer): string[] {
  const messages: string[] = []
  const receiver = new Receiver({ isServer: false })
  receiver.on('message', (data: Buffer) => messages.push(data.toString()))
  receiver.write(frame)
  return messages
}

describe('wireTextFrame', () => {
  it('frames text of every length class so that a client reads it back', () => {
    for (const length of [0, 125, 126, 65_535, 65_536, 100 * 1024]) {
      const text = 'é'.repeat(Math.floor(length / 2)) + 'x'.repeat(length % 2)

      expect(receive(wireTextFrame(text))).toEqual([text])
    }
  })

  it('uses the shortest length encoding', () => {
    expect(wireTextFrame('a'.repeat(125)).length).toBe(127)
    expect(wireTextFrame('a'.repeat(126)).length).toBe(130)
    expect(wireTextFrame('a'.repeat(65_536)).length).toBe(65_546)
  })
})
