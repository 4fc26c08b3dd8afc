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
  const has = (key: string) => Object.hasOwn(body, key)

  if (has('specversion')) return 'cloudevents'

  if (has('event_id')) {
    const hasCorrelationIds = has('correlation_ids')
    if (has('causation_id') || (has('correlation_id') && !hasCorrelationIds)) {
      return 'envelope_v1_service'
    }
    if ((has('session_id') || has('target')) && !hasCorrelationIds && !has('agent_context')) {
      return 'flat_service'
    }
    return 'envelope_v1'
  }

  if (has('id')) return has('ts') || has('data') ? 'legacy_v0' : 'unknown'

  return has('event_type') ? 'tool_mutation' : 'unknown'
}
