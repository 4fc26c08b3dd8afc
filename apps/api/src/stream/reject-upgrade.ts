import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'

import { toProblem } from '../http/on-error.js'

/**
 * Answers an upgrade request with an HTTP error instead of a WebSocket: the same
 * problem+json body the REST routes send, written on the raw socket, which is then closed.
 */
export function rejectUpgrade(
  socket: Duplex,
  error: unknown,
  headers: Record<string, string> = {},
): void {
  const problem = toProblem(error)
  const body = JSON.stringify(problem)
  const head = [
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ]
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`)
}
