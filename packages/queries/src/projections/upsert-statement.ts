import { aggregateSql, columnsOf, mergeSql } from './merge-sql.js'
import type { ProjectedEvent } from './projected-event.js'
import type { ProjectionRules } from './rules.js'

/**
 * @internal Every column a projection stores, in one order: the key, then each rule's columns.
 * The rebuild copies exactly these (the generated ones recompute themselves).
 */
export function storedColumns(rules: ProjectionRules): string[] {
  return [rules.key.column, ...rules.fields.flatMap(columnsOf)]
}

/**
 * @internal The statement text for a projection written into `table` (the live table, or a
 * rebuild's shadow). It groups the batch per key, aggregates each column, and merges the
 * aggregate into any stored row. Rows are inserted in key order so that two writers lock the
 * rows they share in the same order.
 */
export function upsertSql(rules: ProjectionRules, table: string): string {
  const key = rules.key.column
  const inputs = rules.fields.filter((field) => field.merge !== 'count')
  const inputTypes = [
    'text',
    'timestamptz',
    'bigint',
    ...inputs.map((field) => field.type),
  ].map((type, i) => `$${i + 1}::${type}[]`)
  const inputNames = [key, 'occurred_at', 'position', ...inputs.map((field) => field.column)]

  return [
    `INSERT INTO ${table} AS t (${storedColumns(rules).join(', ')})`,
    `SELECT r.${key}, ${rules.fields.flatMap(aggregateSql).join(',\n  ')}`,
    `FROM unnest(${inputTypes.join(', ')}) AS r(${inputNames.join(', ')})`,
    `GROUP BY r.${key}`,
    `ORDER BY r.${key}`,
    `ON CONFLICT (${key}) DO UPDATE SET`,
    `  ${rules.fields.flatMap((field) => mergeSql(field, rules)).join(',\n  ')}`,
  ].join('\n')
}

/**
 * @internal The parameters of `upsertSql` for a batch, one array per input column, so the
 * statement and its parameter count stay the same whatever the batch size. Null when no event
 * of the batch belongs to this projection.
 */
export function upsertParameters(
  rules: ProjectionRules,
  events: readonly ProjectedEvent[],
): unknown[][] | null {
  const keyed = events.filter((event) => rules.key.from(event) !== null)
  if (keyed.length === 0) return null

  const inputs = rules.fields.filter((field) => field.merge !== 'count')
  return [
    keyed.map((event) => rules.key.from(event)),
    keyed.map((event) => event.occurredAt),
    keyed.map((event) => event.position),
    ...inputs.map((field) => keyed.map((event) => field.from(event))),
  ]
}
