import type { Context } from 'hono'

/**
 * Sends JSON that is already text. Events are rendered as text so that their payloads keep
 * every digit; lists are joined, never parsed and re-serialised.
 */
export function jsonText(c: Context, text: string, headers: Record<string, string> = {}): Response {
  return c.body(text, 200, { 'content-type': 'application/json', ...headers })
}

/** A JSON array from items that are each JSON text. */
export function jsonArray(items: readonly string[]): string {
  return `[${items.join(',')}]`
}
