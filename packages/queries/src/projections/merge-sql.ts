/**
 * @module The SQL of each merge kind of `rules.ts`: how a batch's partial row (`excluded`, see
 * `fold-batch.ts`) merges into the stored row (`t`) in `ON CONFLICT DO UPDATE`.
 */
import type { FieldRule, ProjectionRules } from './rules.js'

/** @internal The stored columns a rule fills: its own, plus the key of a `lastNonNull` value. */
export function columnsOf(field: FieldRule): string[] {
  if (field.merge !== 'lastNonNull') return [field.column]
  return [field.column, `${field.column}_at`, `${field.column}_position`]
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
      // Sets are kept in byte order, as the fold sorts them; most batches add nothing new.
      return [
        `${c} = CASE WHEN excluded.${c} <@ t.${c} THEN t.${c} ELSE ARRAY(SELECT DISTINCT ` +
          `u COLLATE "C" FROM unnest(t.${c} || excluded.${c}) u ORDER BY 1) END`,
      ]
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
