import { CompiledQuery, type Kysely, type Transaction } from 'kysely'

import type { Database } from '@historian/db'

import type { ProjectedEvent } from './projected-event.js'
import { PROJECTIONS, type ProjectionRules } from './rules.js'
import { upsertParameters, upsertSql } from './upsert-statement.js'

/** @internal Where each projection is written: its live table, or a rebuild's shadow. */
export type ProjectionTargets = Readonly<Record<ProjectionRules['table'], string>>

const LIVE_TARGETS: ProjectionTargets = {
  workflow_state: 'workflow_state',
  agent_sessions: 'agent_sessions',
}

const statementCache = new Map<string, string>()

/**
 * Folds newly inserted events into `workflow_state` and `agent_sessions` (DESIGN section 4),
 * with one statement per table for the whole batch. Call it inside the batch transaction,
 * after the insert, with only the events the insert returned: an event applied twice would be
 * counted twice. Batches may arrive in any order and from concurrent transactions; the rows
 * end up the same (see `rules.ts` for how each column merges).
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   const appended = await appendEvents(trx, decoded)
 *   await applyProjections(trx, appended)
 * })
 */
export async function applyProjections(
  trx: Transaction<Database>,
  events: readonly ProjectedEvent[],
): Promise<void> {
  await applyProjectionsTo(trx, events, LIVE_TARGETS)
}

/** @internal `applyProjections` into the given tables. */
export async function applyProjectionsTo(
  db: Kysely<Database>,
  events: readonly ProjectedEvent[],
  targets: ProjectionTargets,
): Promise<void> {
  for (const rules of PROJECTIONS) {
    const parameters = upsertParameters(rules, events)
    if (parameters === null) continue

    const table = targets[rules.table]
    await db.executeQuery(CompiledQuery.raw(statementFor(rules, table), parameters))
  }
}

function statementFor(rules: ProjectionRules, table: string): string {
  const cacheKey = `${rules.table}:${table}`
  let text = statementCache.get(cacheKey)
  if (text === undefined) {
    text = upsertSql(rules, table)
    statementCache.set(cacheKey, text)
  }
  return text
}
