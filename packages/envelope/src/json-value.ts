/** @module @internal Defensive readers for values that came out of `JSON.parse`. */

/** @internal */
export type JsonObject = Record<string, unknown>

/** @internal The value when it is a plain JSON object (not an array, not null). */
export function asObject(value: unknown): JsonObject | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  return value as JsonObject
}

/** @internal `object[key]`, or undefined when there is no object. */
export function fieldOf(object: JsonObject | null, key: string): unknown {
  return object === null ? undefined : object[key]
}

/** @internal U+0000 replaced by U+FFFD, because PostgreSQL `text` rejects NUL. */
export function cleanText(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text
}

/** @internal A non-empty string, cleaned; anything else is null. */
export function textOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? cleanText(value) : null
}

/** @internal Like {@link textOf}, but a finite number counts too, as its text. */
export function idTextOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return textOf(value)
}

