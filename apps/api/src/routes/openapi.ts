import { Hono } from 'hono'

import type { ApiDeps } from '../deps.js'
import { buildOpenApiDocument } from '../openapi/build-openapi-document.js'
import { renderReferencePage } from '../openapi/render-reference-page.js'

/** `GET {API_PREFIX}/openapi.json`: the OpenAPI 3.1 document, built once. */
export function openApiRoutes(deps: ApiDeps): Hono {
  const app = new Hono()
  const document = JSON.stringify(buildOpenApiDocument(deps.config))

  app.get('/openapi.json', (c) => c.body(document, 200, { 'content-type': 'application/json' }))

  return app
}

/** `GET /docs`: the same document as a readable page, at the root and without a token. */
export function docsRoutes(deps: ApiDeps): Hono {
  const app = new Hono()
  const page = renderReferencePage(buildOpenApiDocument(deps.config))

  app.get('/docs', (c) => c.html(page))

  return app
}
