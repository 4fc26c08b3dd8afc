import { v5 as uuidV5 } from 'uuid'

/**
 * The UUIDv5 namespace of every id the Historian derives or maps:
 * `6c02389e-f618-4f5e-89a9-2c2a958802f9`. It never changes; changing it would give stored
 * events new ids and break lookups by their original text.
 */
export const HISTORIAN_NAMESPACE = '6c02389e-f618-4f5e-89a9-2c2a958802f9'

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const NEWLINE = Buffer.from([0x0a])

/**
 * True when `text` is a UUID in the canonical 8-4-4-4-12 hex form, in any letter case.
 * Version and variant bits are not checked: PostgreSQL accepts any such UUID.
 *
 * @example isUuid('0017E8B2-29EC-4FA2-9467-77F636830A19') // true
 */
export function isUuid(text: string): boolean {
  return text.length === 36 && UUID_PATTERN.test(text)
}

/**
 * Maps any id text to the UUID the Historian stores it under.
 *
 * - A UUID (see {@link isUuid}) is lowercased: `{ id, mapped: false }`.
 * - Any other text becomes `UUIDv5(6c02389e-f618-4f5e-89a9-2c2a958802f9, name)` where the
 *   name is the UTF-8 bytes of the text exactly as given (no trimming, no case folding; a lone
 *   surrogate, which only a JSON escape can produce, is encoded as U+FFFD):
 *   `{ id, mapped: true }`. A number id is mapped from its JSON source text.
 *
 * Lookups by the original text go through this same function, so `wf-42` finds the event whose
 * id was `wf-42`.
 *
 * @example toEventUuid('wf-42') // { id: 'b9fcae5e-7913-550f-9f5c-49d4373f46c4', mapped: true }
 */
export function toEventUuid(text: string): { id: string; mapped: boolean } {
  if (isUuid(text)) return { id: text.toLowerCase(), mapped: false }

  return { id: uuidV5(Buffer.from(text, 'utf8'), HISTORIAN_NAMESPACE), mapped: true }
}

/**
 * The id of a body that carries none: `UUIDv5(6c02389e-f618-4f5e-89a9-2c2a958802f9, name)`
 * where the name is the UTF-8 bytes of the routing key, then one `0x0A` byte (newline), then the
 * body bytes exactly as received. An exact redelivery therefore gets the same id and is absorbed
 * as a duplicate, while the same body on another routing key is a different event.
 *
 * @example
 * deriveEventId('tool.mutation.edit', Buffer.from('{"event_type":"x"}'))
 * // '4ebf8f1d-7845-5a13-83ce-cbd3723b9130'
 */
export function deriveEventId(routingKey: string, body: Buffer): string {
  const name = Buffer.concat([Buffer.from(routingKey, 'utf8'), NEWLINE, body])

  return uuidV5(name, HISTORIAN_NAMESPACE)
}
