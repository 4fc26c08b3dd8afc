import { renderEventJson } from '@historian/envelope'
import type { StreamEventRow } from '@historian/queries'

/**
 * An event frame's text, built once per event and shared by every client that gets it. The
 * envelope is spliced in as text, so its numbers keep every digit.
 */
export function eventFrame(row: StreamEventRow): string {
  return (
    `{"type":"event","position":${row.position}` +
    `,"routing_key":${JSON.stringify(row.routing_key)}` +
    `,"envelope":${renderEventJson(row)}}`
  )
}

/** Six fractional digits, like every other time the API prints. */
export function heartbeatFrame(now: Date): string {
  return `{"type":"heartbeat","timestamp":"${now.toISOString().replace('Z', '000Z')}"}`
}

export function caughtUpFrame(position: bigint): string {
  return `{"type":"caught_up","position":${position}}`
}

export function errorFrame(message: string): string {
  return JSON.stringify({ type: 'error', message })
}

export const PONG_FRAME = '{"type":"pong"}'
