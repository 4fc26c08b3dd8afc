/**
 * @module The merge kinds of `rules.ts` applied in JavaScript to one batch: its events are
 * folded into one partial row per key, which the upsert then merges into the stored row with
 * the SQL of `merge-sql.ts`. Both halves implement the same kinds; the property tests check
 * that they agree in any split and order.
 */
import type { ProjectedEvent } from './projected-event.js'
import type { FieldRule, ProjectionRules } from './rules.js'

/** @internal A partial row: one value per stored column, in `storedColumns` order. */
export type PartialRow = Array<string | null>

interface EventKey {
  at: string
  position: string
}

/**
 * @internal Folds a batch into partial rows, in no particular order. Sets are sorted by UTF-8
 * bytes, which is the order `COLLATE "C"` gives them in the merge.
 */
export function foldBatch(rules: ProjectionRules, events: readonly ProjectedEvent[]): PartialRow[] {
  const groups = new Map<string, ProjectedEvent[]>()
  for (const event of events) {
    const key = rules.key.from(event)
    if (key === null) continue
    const group = groups.get(key)
    if (group) group.push(event)
    else groups.set(key, [event])
  }

  return [...groups].map(([key, group]) => [key, ...rules.fields.flatMap((f) => fold(f, group))])
}

function fold(field: FieldRule, group: readonly ProjectedEvent[]): PartialRow {
  switch (field.merge) {
    case 'least':
      return [extreme(field, group, -1)]
    case 'greatest':
      return [extreme(field, group, 1)]
    case 'count':
      return [String(group.length)]
    case 'union':
      return [toArrayLiteral(group.map(field.from))]
    case 'first':
      return [field.from(pick(group, () => true, -1)!)]
    case 'last':
      return [field.from(pick(group, () => true, 1)!)]
    case 'lastNonNull': {
      const latest = pick(group, (event) => field.from(event) !== null, 1)
      return latest ? [field.from(latest), latest.occurredAt, latest.position] : [null, null, null]
    }
  }
}

/** The smallest (`-1`) or largest (`1`) non-null value; only times and integers are ordered. */
function extreme(field: FieldRule, group: readonly ProjectedEvent[], sign: 1 | -1) {
  const compare = field.type === 'bigint' ? compareDecimal : compareTime(field)
  let best: string | null = null
  for (const event of group) {
    const value = field.from(event)
    if (value !== null && (best === null || sign * compare(value, best) > 0)) best = value
  }
  return best
}

/** The earliest (`-1`) or latest (`1`) event by (occurred_at, position) that passes `test`. */
function pick(
  group: readonly ProjectedEvent[],
  test: (event: ProjectedEvent) => boolean,
  sign: 1 | -1,
): ProjectedEvent | null {
  let best: ProjectedEvent | null = null
  for (const event of group) {
    if (test(event) && (best === null || sign * compareKeys(keyOf(event), keyOf(best)) > 0)) {
      best = event
    }
  }
  return best
}

function keyOf(event: ProjectedEvent): EventKey {
  return { at: event.occurredAt, position: event.position }
}

/** Occurred times are all `YYYY-MM-DDTHH:MM:SS.ffffffZ`, years 1 to 9999: text order is time. */
function compareKeys(a: EventKey, b: EventKey): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1
  return compareDecimal(a.position, b.position)
}

function compareTime(field: FieldRule) {
  if (field.type !== 'timestamptz') {
    throw new Error(`${field.column}: least/greatest need a timestamptz or bigint column`)
  }
  return (a: string, b: string) => (a === b ? 0 : a < b ? -1 : 1)
}

/** Positions and counts: decimal text without leading zeros. */
function compareDecimal(a: string, b: string): number {
  return a.length - b.length || (a === b ? 0 : a < b ? -1 : 1)
}

/** A Postgres array literal of the distinct non-null values, in UTF-8 byte order. */
function toArrayLiteral(values: ReadonlyArray<string | null>): string {
  const distinct = [...new Set(values.filter((value): value is string => value !== null))]
  distinct.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  return `{${distinct.map((value) => `"${value.replace(/["\\]/g, '\\$&')}"`).join(',')}}`
}
