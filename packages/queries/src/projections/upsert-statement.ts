import { foldBatch } from './fold-batch.js'
import { columnsOf, mergeSql } from './merge-sql.js'
import type { ProjectedEvent } from './projected-event.js'
import type { FieldRule, ProjectionRules } from './rules.js'

/** @internal One stored column as the upsert receives it. */
interface InputColumn {
  name: string
  /** The element type of its `unnest` parameter. */
  type: string
  /** How the row's value is inserted. */
  select: string
}

/**
 * @internal Every column a projection stores, in one order: the key, then each rule's columns.
 * The rebuild copies exactly these (the generated ones recompute themselves).
 */
export function storedColumns(rules: ProjectionRules): string[] {
  return [rules.key.column, ...rules.fields.flatMap(columnsOf)]
}

/**
 * @internal The statement that merges a batch's partial rows (one per key, see `foldBatch`)
 * into a projection table: the live one, or a rebuild's shadow. Rows are inserted in key order
 * so that two writers lock the rows they share in the same order.
 */
export function upsertSql(rules: ProjectionRules, table: string): string {
  const inputs = inputColumns(rules)
  const key = rules.key.column

  return [
    `INSERT INTO ${table} AS t (${inputs.map((input) => input.name).join(', ')})`,
    `SELECT ${inputs.map((input) => input.select).join(', ')}`,
    `FROM unnest(${inputs.map((input, i) => `$${i + 1}::${input.type}[]`).join(', ')})`,
    `  AS r(${inputs.map((input) => input.name).join(', ')})`,
    `ORDER BY r.${key}`,
    `ON CONFLICT (${key}) DO UPDATE SET`,
    `  ${rules.fields.flatMap((field) => mergeSql(field, rules)).join(',\n  ')}`,
  ].join('\n')
}

/**
 * @internal The parameters of `upsertSql` for a batch: one array per stored column, so the
 * statement and its parameter count stay the same whatever the batch size. Null when no event
 * of the batch belongs to this projection.
 */
export function upsertParameters(
  rules: ProjectionRules,
  events: readonly ProjectedEvent[],
): Array<Array<string | null>> | null {
  const rows = foldBatch(rules, events)
  if (rows.length === 0) return null

  return inputColumns(rules).map((_, column) => rows.map((row) => row[column] ?? null))
}

function inputColumns(rules: ProjectionRules): InputColumn[] {
  const plain = (name: string, type: string) => ({ name, type, select: `r.${name}` })
  const ofField = (field: FieldRule): InputColumn[] => {
    const [name, at, position] = columnsOf(field) as [string, string, string]
    switch (field.merge) {
      case 'lastNonNull':
        return [plain(name, field.type), plain(at, 'timestamptz'), plain(position, 'bigint')]
      case 'count':
        return [plain(name, 'bigint')]
      case 'union':
        // A set travels as an array literal: unnest cannot take a ragged 2-D array.
        return [{ name, type: 'text', select: `r.${name}::${field.type}[]` }]
      default:
        return [plain(name, field.type)]
    }
  }

  return [plain(rules.key.column, 'text'), ...rules.fields.flatMap(ofField)]
}
