import type { Config } from '@historian/config'
import type { z } from 'zod'

import { agentsQuerySchema } from '../routes/agents.js'
import { workflowsQuerySchema } from '../routes/workflows.js'
import { eventPageQuerySchema } from '../schemas/event-page-query.js'
import { ancestorsQuerySchema, descendantsQuerySchema } from '../schemas/causation-query.js'
import { correlationsQuerySchema } from '../schemas/correlations-query.js'
import { eventsQuerySchema } from '../schemas/events-query.js'
import { StatsQuery } from '../schemas/stats-query.js'
import { StreamQuery } from './response-schemas.js'

/** One documented operation; `root` routes live outside `API_PREFIX` and need no token. */
export interface Operation {
  path: string
  summary: string
  description?: string
  tag: string
  root?: boolean
  query?: z.ZodType
  pathParams?: Record<string, string>
  ok: { description: string; schema?: Record<string, unknown>; contentType?: string }
  status?: Record<string, string>
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const arrayOf = (schema: Record<string, unknown>) => ({ type: 'array', items: schema })
const anyObject = { type: 'object', additionalProperties: true }
const withDepth = {
  allOf: [ref('Event'), { type: 'object', properties: { depth: { type: 'integer' } } }],
}

/** Every route of the API, in the order the reference lists them. */
export function apiOperations(config: Config): Operation[] {
  const badRequest = { 400: 'A parameter is invalid; `param` names it.' }
  const eventId = { id: 'Event id: a UUID, or the original text of a non-UUID id.' }
  const missing = { ...badRequest, 404: 'No such event.' }

  return [
    {
      path: '/events',
      tag: 'events',
      summary: 'List events',
      description: 'Newest first by default; ties on time are broken by position.',
      query: eventsQuerySchema(config),
      ok: { description: 'A page of events.', schema: arrayOf(ref('Event')) },
      status: badRequest,
    },
    {
      path: '/events/{id}',
      tag: 'events',
      summary: 'One event',
      pathParams: eventId,
      ok: { description: 'The event.', schema: ref('Event') },
      status: { 404: 'No such event.' },
    },
    {
      path: '/events/{id}/raw',
      tag: 'events',
      summary: 'The body of one event, byte for byte',
      pathParams: eventId,
      ok: { description: 'The body as received.', schema: {}, contentType: 'application/json' },
      status: { 404: 'No such event.' },
    },
    {
      path: '/events/{id}/descendants',
      tag: 'events',
      summary: 'Everything an event caused',
      description:
        'Each event once, with `depth` its shortest distance. `format=tree` returns the ' +
        'event with nested `children`; each descendant hangs under its earliest parent on a ' +
        'shortest path.',
      pathParams: eventId,
      query: descendantsQuerySchema(config),
      ok: {
        description: 'Descendants, nearest level first (flat), or the event as a tree.',
        schema: { oneOf: [arrayOf(withDepth), withDepth] },
      },
      status: missing,
    },
    {
      path: '/events/{id}/ancestors',
      tag: 'events',
      summary: 'Everything that led to an event',
      pathParams: eventId,
      query: ancestorsQuerySchema(config),
      ok: { description: 'Ancestors, nearest first, with `depth`.', schema: arrayOf(withDepth) },
      status: missing,
    },
    {
      path: '/correlations/{id}',
      tag: 'events',
      summary: 'Events sharing a chain or session id',
      pathParams: { id: 'A correlation (chain) id or a session id.' },
      query: correlationsQuerySchema(config),
      ok: { description: 'A page of events, oldest first.', schema: arrayOf(ref('Event')) },
      status: badRequest,
    },
    {
      path: '/stats',
      tag: 'events',
      summary: 'Event counts per type, agent or source and time bucket',
      query: StatsQuery,
      ok: { description: 'One series per key.', schema: ref('Stats') },
      status: badRequest,
    },
    {
      path: '/workflows',
      tag: 'projections',
      summary: 'Workflows, most recently updated first',
      query: workflowsQuerySchema(config),
      ok: { description: 'A page of workflow states.', schema: arrayOf(ref('WorkflowState')) },
      status: badRequest,
    },
    {
      path: '/workflows/{id}/state',
      tag: 'projections',
      summary: 'The state of one workflow',
      pathParams: { id: 'Workflow id.' },
      ok: { description: 'Workflow state.', schema: ref('WorkflowState') },
      status: { 404: 'No such workflow.' },
    },
    {
      path: '/workflows/{id}/timeline',
      tag: 'projections',
      summary: 'A workflow state and its events, oldest first',
      pathParams: { id: 'Workflow id.' },
      query: eventPageQuerySchema(config),
      ok: {
        description: '`{"state": ..., "events": [...]}`.',
        schema: {
          type: 'object',
          properties: { state: ref('WorkflowState'), events: arrayOf(ref('Event')) },
        },
      },
      status: { 404: 'No such workflow.' },
    },
    {
      path: '/agents',
      tag: 'projections',
      summary: 'Agent sessions, most recently seen first',
      query: agentsQuerySchema(config),
      ok: { description: 'A page of sessions.', schema: arrayOf(ref('AgentSession')) },
      status: badRequest,
    },
    {
      path: '/agents/{session_id}',
      tag: 'projections',
      summary: 'One agent session',
      pathParams: { session_id: 'Agent session id.' },
      ok: { description: 'The session.', schema: ref('AgentSession') },
      status: { 404: 'No such session.' },
    },
    {
      path: '/agents/{session_id}/events',
      tag: 'projections',
      summary: 'Events of one agent session',
      pathParams: { session_id: 'Agent session id.' },
      query: eventPageQuerySchema(config),
      ok: { description: 'A page of events.', schema: arrayOf(ref('Event')) },
      status: { ...badRequest, 404: 'No such session.' },
    },
    {
      path: '/events/stream',
      tag: 'stream',
      summary: 'Live stream of events (WebSocket)',
      description:
        'Upgrade to a WebSocket. Frames: `{"type":"event","position":N,"routing_key":...,' +
        '"envelope":{...}}`, `{"type":"heartbeat"}`, `{"type":"caught_up","position":N}`, ' +
        '`{"type":"error"}`; a text `ping` gets `{"type":"pong"}`. Closes: 4008 too slow ' +
        '(reason `resume from=<position>`), 1013 too many connections, 1001 shutting down.',
      query: StreamQuery,
      ok: { description: 'Switching to the WebSocket protocol.' },
      status: badRequest,
    },
    {
      path: '/openapi.json',
      tag: 'service',
      summary: 'This document',
      ok: { description: 'OpenAPI 3.1.', schema: anyObject },
    },
    {
      path: '/health',
      tag: 'service',
      root: true,
      summary: 'Liveness',
      ok: { description: 'The process is up.', schema: anyObject },
    },
    {
      path: '/ready',
      tag: 'service',
      root: true,
      summary: 'Readiness: the database answers',
      ok: { description: 'Ready.', schema: anyObject },
      status: { 503: 'The database is not reachable.' },
    },
    {
      path: '/metrics',
      tag: 'service',
      root: true,
      summary: 'Prometheus metrics',
      ok: { description: 'Prometheus text format.', contentType: 'text/plain' },
    },
    {
      path: '/docs',
      tag: 'service',
      root: true,
      summary: 'This reference as a web page',
      ok: { description: 'HTML.', schema: { type: 'string' }, contentType: 'text/html' },
    },
  ]
}
