/**
 * @module The SQL of each merge kind of `rules.ts`, twice: as an aggregate over one batch's
 * events (`r`, grouped by the projection key), and as the merge of that aggregate (`excluded`)
 * into the stored row (`t`) in `ON CONFLICT DO UPDATE`. The two must agree; the second is the
 * first applied to two partial rows.
 */
import type { FieldRule, ProjectionRules } from './rules.js'

/** Newest event first: occurred_at, ties broken by position. */
const LATEST_FIRST = 'r.occurred_at DESC, r.position DESC'
const EARLIEST_FIRST = 'r.occurred_at, r.position'

/** @internal The stored columns a rule fills: its own, plus the key of a `lastNonNull` value. */
export function columnsOf(field: FieldRule): string[] {
  if (field.merge !== 'lastNonNull') return [field.column]
  return [field.column, `${field.column}_at`, `${field.column}_position`]
}

/** @internal Aggregates of one batch's events, in the order of `columnsOf`. */
export function aggregateSql(field: FieldRule): string[] {
  const value = `r.${field.column}`

  switch (field.merge) {
    case 'least':
      return [`min(${value})`]
    case 'greatest':
      return [`max(${value})`]
    case 'count':
      return ['count(*)']
    case 'union':
      return [
        `COALESCE(array_agg(DISTINCT ${value} ORDER BY ${value}) ` +
          `FILTER (WHERE ${value} IS NOT NULL), '{}')`,
      ]
    case 'first':
      return [`(array_agg(${value} ORDER BY ${EARLIEST_FIRST}))[1]`]
    case 'last':
      return [`(array_agg(${value} ORDER BY ${LATEST_FIRST}))[1]`]
    case 'lastNonNull':
      return [value, 'r.occurred_at', 'r.position'].map(
        (picked) =>
          `(array_agg(${picked} ORDER BY ${LATEST_FIRST}) FILTER (WHERE ${value} IS NOT NULL))[1]`,
      )
  }
}

/**
 * @internal `column = expression` assignments merging `excluded` into `t`. Postgres evaluates
 * every right-hand side against the old row, so the key columns can be compared while they are
 * themselves being updated.
 */
export function mergeSql(field: FieldRule, rules: ProjectionRules): string[] {
  const c = field.column

  switch (field.merge) {
    case 'least':
      return [`${c} = LEAST(t.${c}, excluded.${c})`]
    case 'greatest':
      return [`${c} = GREATEST(t.${c}, excluded.${c})`]
    case 'count':
      return [`${c} = t.${c} + excluded.${c}`]
    case 'union':
      return [`${c} = ARRAY(SELECT DISTINCT u FROM unnest(t.${c} || excluded.${c}) u ORDER BY u)`]
    case 'first':
      return [pickBy(c, keyOf(rules.firstKey, 'firstKey', rules), '<')]
    case 'last':
      return [pickBy(c, keyOf(rules.lastKey, 'lastKey', rules), '>')]
    case 'lastNonNull': {
      const [at, position] = [`${c}_at`, `${c}_position`]
      const newer =
        `excluded.${position} IS NOT NULL AND (t.${position} IS NULL ` +
        `OR (excluded.${at}, excluded.${position}) > (t.${at}, t.${position}))`
      return columnsOf(field).map(
        (column) => `${column} = CASE WHEN ${newer} THEN excluded.${column} ELSE t.${column} END`,
      )
    }
  }
}

function pickBy(column: string, [at, position]: readonly [string, string], op: '<' | '>'): string {
  const wins = `(excluded.${at}, excluded.${position}) ${op} (t.${at}, t.${position})`
  return `${column} = CASE WHEN ${wins} THEN excluded.${column} ELSE t.${column} END`
}

function keyOf(
  key: readonly [string, string] | undefined,
  name: string,
  rules: ProjectionRules,
): readonly [string, string] {
  if (!key) throw new Error(`${rules.table}: a first/last rule needs ${name}`)
  return key
}
