import type { Config } from '@historian/config'

import { AgentSessionView } from '../routes/agents.js'
import { WorkflowStateView } from '../routes/workflows.js'
import { apiOperations, type Operation } from './api-operations.js'
import { queryParameters, toJsonSchema, type ParameterObject } from './query-parameters.js'
import { EventView, Problem, StatsResponse } from './response-schemas.js'

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const UNAUTHORIZED = 'Missing or unknown token.'
const UNAVAILABLE = 'The database is not reachable.'

/**
 * The OpenAPI 3.1 document of the whole API, built from the zod schemas the routes validate
 * with, so the limits it states are the configured ones.
 */
export function buildOpenApiDocument(config: Config): Record<string, unknown> {
  const prefix = config.API_PREFIX
  const paths: Record<string, Record<string, unknown>> = {}

  for (const operation of apiOperations(config)) {
    const path = operation.root ? operation.path : `${prefix}${operation.path}`
    paths[path] = { get: toOperationObject(operation) }
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Historian API',
      version: '1.0.0',
      description:
        'Every event that flowed through Bloodbank, and what it caused. Lists are bare JSON ' +
        'arrays; the next page of a list is in the `Link: <...>; rel="next"` header.',
    },
    servers: [{ url: '/' }],
    tags: [{ name: 'events' }, { name: 'projections' }, { name: 'stream' }, { name: 'service' }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: `Required on every ${prefix} route when API_TOKENS is set.`,
        },
      },
      schemas: {
        Event: toJsonSchema(EventView),
        Problem: toJsonSchema(Problem),
        Stats: toJsonSchema(StatsResponse),
        WorkflowState: toJsonSchema(WorkflowStateView),
        AgentSession: toJsonSchema(AgentSessionView),
      },
    },
  }
}

function toOperationObject(operation: Operation): Record<string, unknown> {
  const pathParams = Object.entries(operation.pathParams ?? {}).map(
    ([name, description]): ParameterObject => {
      return { name, in: 'path', required: true, description, schema: { type: 'string' } }
    },
  )
  const problem = { 'application/problem+json': { schema: ref('Problem') } }
  const statuses: Record<string, string> = operation.root
    ? (operation.status ?? {})
    : { 401: UNAUTHORIZED, 503: UNAVAILABLE, ...operation.status }

  const { ok } = operation
  const contentType = ok.contentType ?? 'application/json'
  const responses: Record<string, unknown> = {
    [operation.path.endsWith('/stream') ? '101' : '200']: {
      description: ok.description,
      ...(ok.schema || ok.contentType
        ? { content: { [contentType]: { schema: ok.schema ?? { type: 'string' } } } }
        : {}),
    },
  }
  for (const [status, description] of Object.entries(statuses)) {
    responses[status] = { description, content: problem }
  }

  return {
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: [operation.tag],
    operationId: operationId(operation.path),
    security: operation.root ? [] : [{ bearerAuth: [] }],
    parameters: [...pathParams, ...(operation.query ? queryParameters(operation.query) : [])],
    responses,
  }
}

function operationId(path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean)
  return ['get', ...words.map((word) => word[0]!.toUpperCase() + word.slice(1))].join('')
}
