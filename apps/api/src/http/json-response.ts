import type { Context } from 'hono'

/**
 * Sends JSON that is already text. Events are rendered as text so that their payloads keep
 * every digit; lists are joined, never parsed and re-serialised.
 */
export function jsonText(c: Context, text: string, headers: Record<string, string> = {}): Response {
  return c.body(text, 200, { 'content-type': 'application/json', ...headers })
}

/**
 * A JSON array from items that are each JSON text. Concatenated rather than joined: V8 keeps
 * a long concatenation as a rope and copies it once, when the response is encoded, where
 * `join` copies every item into a new flat string, and nested arrays (a causation tree) would be
 * copied again at every level.
 */
export function jsonArray(items: readonly string[]): string {
  let text = '['
  for (let i = 0; i < items.length; i++) text += i === 0 ? items[i] : `,${items[i]}`
  return `${text}]`
}
