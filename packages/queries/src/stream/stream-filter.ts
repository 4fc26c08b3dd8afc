import type { EventTypePattern } from '../event-type-pattern.js'

/** What a live-stream client asked for; every filter given must hold. */
export interface StreamFilter {
  eventType?: EventTypePattern | undefined
  routingKey?: string | undefined
  workflowId?: string | undefined
  sessionId?: string | undefined
  correlationId?: string | undefined
}

/** The columns of an event that a stream filter reads. */
export interface StreamFilterColumns {
  event_type: string
  routing_key: string
  workflow_id: string | null
  session_id: string | null
  correlation_id: string | null
}

/** Whether `event` passes `filter`, in memory; `readStreamPage` applies the same rules in SQL. */
export function matchesStreamFilter(filter: StreamFilter, event: StreamFilterColumns): boolean {
  if (filter.routingKey !== undefined && event.routing_key !== filter.routingKey) return false
  if (filter.workflowId !== undefined && event.workflow_id !== filter.workflowId) return false
  if (filter.sessionId !== undefined && event.session_id !== filter.sessionId) return false
  if (filter.correlationId !== undefined && event.correlation_id !== filter.correlationId) {
    return false
  }
  return filter.eventType === undefined || filter.eventType.test(event.event_type)
}
