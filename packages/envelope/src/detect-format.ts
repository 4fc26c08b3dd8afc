import type { EventFormat } from './types.js'

/**
 * Names the shape of a parsed body from which keys it has (a key counts even when its value is
 * null, because its presence is what a producer's schema leaves behind):
 *
 * - `specversion` → `cloudevents`;
 * - `event_id` with `causation_id`, or with `correlation_id` but no `correlation_ids`
 *   → `envelope_v1_service`;
 * - `event_id` with top-level `session_id` or `target` and neither `correlation_ids` nor
 *   `agent_context` → `flat_service`;
 * - any other `event_id` → `envelope_v1`;
 * - `id` with `ts` or `data` → `legacy_v0`;
 * - `event_type` without `id` → `tool_mutation`;
 * - anything else → `unknown`.
 */
export function detectFormat(body: Record<string, unknown>): EventFormat {
  if (has(body, 'specversion')) return 'cloudevents'

  if (has(body, 'event_id')) {
    const hasParentList = has(body, 'correlation_ids')
    if (has(body, 'causation_id') || (has(body, 'correlation_id') && !hasParentList)) {
      return 'envelope_v1_service'
    }

    const flatFields = has(body, 'session_id') || has(body, 'target')
    if (flatFields && !hasParentList && !has(body, 'agent_context')) return 'flat_service'

    return 'envelope_v1'
  }

  if (has(body, 'id')) return has(body, 'ts') || has(body, 'data') ? 'legacy_v0' : 'unknown'

  return has(body, 'event_type') ? 'tool_mutation' : 'unknown'
}

function has(body: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(body, key)
}
