import { columnsOf } from '../../packages/queries/src/projections/merge-sql.js'
import type { ProjectedEvent } from '../../packages/queries/src/projections/projected-event.js'
import {
  AGENT_SESSIONS_RULES,
  WORKFLOW_STATE_RULES,
  type FieldRule,
  type ProjectionRules,
} from '../../packages/queries/src/projections/rules.js'
import type { ProjectionRow } from './projections.js'

/**
 * What both projection tables must hold for a set of stored events, computed the slow, obvious
 * way: every event of a row sorted by (occurred_at, position), then each rule read off the
 * sorted list. It shares the per-event `from` of the rules, not their merge SQL.
 */
export function expectedProjectionRows(events: readonly ProjectedEvent[]): {
  workflows: ProjectionRow[]
  sessions: ProjectionRow[]
} {
  const workflows = project(WORKFLOW_STATE_RULES, events).map((row) => ({
    ...row,
    status: row.first_position === row.last_position ? row.last_status_if_first : row.last_status,
  }))
  const sessions = project(AGENT_SESSIONS_RULES, events).map((row) => ({
    ...row,
    status: row.lifecycle_status ?? 'active',
  }))
  return { workflows, sessions }
}

function project(rules: ProjectionRules, events: readonly ProjectedEvent[]): ProjectionRow[] {
  const groups = new Map<string, ProjectedEvent[]>()
  for (const event of events) {
    const key = rules.key.from(event)
    if (key === null) continue
    groups.set(key, [...(groups.get(key) ?? []), event])
  }

  return [...groups.keys()].sort().map((key) => {
    const sorted = [...groups.get(key)!].sort(byOccurredThenPosition)
    const row: ProjectionRow = { [rules.key.column]: key }
    for (const field of rules.fields) Object.assign(row, fold(field, sorted))
    return row
  })
}

function fold(field: FieldRule, sorted: readonly ProjectedEvent[]): ProjectionRow {
  const values = sorted.map(field.from)
  const present = values.filter((value): value is string => value !== null)
  const [column] = columnsOf(field) as [string]

  switch (field.merge) {
    case 'least':
      return { [column]: present.sort(compareValues(field))[0] ?? null }
    case 'greatest':
      return { [column]: present.sort(compareValues(field)).at(-1) ?? null }
    case 'count':
      return { [column]: String(sorted.length) }
    case 'union':
      return { [column]: [...new Set(present)].sort() }
    case 'first':
      return { [column]: values[0] ?? null }
    case 'last':
      return { [column]: values.at(-1) ?? null }
    case 'lastNonNull': {
      const latest = [...sorted].reverse().find((event) => field.from(event) !== null)
      return {
        [column]: latest ? field.from(latest) : null,
        [`${column}_at`]: latest?.occurredAt ?? null,
        [`${column}_position`]: latest?.position ?? null,
      }
    }
  }
}

function compareValues(field: FieldRule) {
  return (a: string, b: string) =>
    field.type === 'bigint' ? Number(BigInt(a) - BigInt(b)) : a < b ? -1 : a > b ? 1 : 0
}

function byOccurredThenPosition(a: ProjectedEvent, b: ProjectedEvent): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? -1 : 1
  return Number(BigInt(a.position) - BigInt(b.position))
}
