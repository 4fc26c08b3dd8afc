/**
 * A self-contained HTML reference rendered from the OpenAPI document: no script, no CDN, one
 * inline stylesheet, so it works offline and under a strict Content-Security-Policy.
 */
export function renderReferencePage(document: Record<string, unknown>): string {
  const info = document.info as { title: string; version: string; description: string }
  const paths = document.paths as Record<string, Record<string, OperationDoc>>
  const schemas = (document.components as { schemas: Record<string, SchemaDoc> }).schemas

  const sections = Object.entries(paths).map(([path, methods]) =>
    Object.entries(methods)
      .map(([method, operation]) => renderOperation(method, path, operation))
      .join(''),
  )
  const models = Object.entries(schemas).map(([name, schema]) => renderSchema(name, schema))

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(info.title)}</title>
<style>${STYLE}</style></head>
<body><main>
<h1>${escape(info.title)} <small>${escape(info.version)}</small></h1>
<p>${inline(info.description)}</p>
<p>The machine-readable document is <code>openapi.json</code> under the API prefix.</p>
<nav><ul>${Object.keys(paths).map(navItem).join('')}</ul></nav>
${sections.join('\n')}
<h2>Schemas</h2>
${models.join('\n')}
</main></body></html>
`
}

interface ParameterDoc {
  name: string
  in: string
  required: boolean
  description?: string
  schema: Record<string, unknown>
}

interface OperationDoc {
  summary: string
  description?: string
  security: unknown[]
  parameters: ParameterDoc[]
  responses: Record<string, { description: string; content?: Record<string, unknown> }>
}

interface SchemaDoc {
  description?: string
  properties?: Record<string, { description?: string; type?: unknown; format?: string }>
}

function renderOperation(method: string, path: string, operation: OperationDoc): string {
  const token = operation.security.length > 0 ? '<span class="tag">token</span>' : ''
  const rows = operation.parameters.map((p) =>
    row(
      `<code>${escape(p.name)}</code>`,
      p.in,
      p.required ? 'yes' : '',
      escape(describeType(p.schema)),
      inline(p.description ?? ''),
    ),
  )
  const parameters = rows.length
    ? `<table>${row('parameter', 'in', 'required', 'type', '')}${rows.join('')}</table>`
    : ''
  const responses = Object.entries(operation.responses).map(([status, response]) => {
    const media = Object.keys(response.content ?? {}).join(', ')
    const types = media ? ` <code>${escape(media)}</code>` : ''
    return `<li><b>${status}</b> ${inline(response.description)}${types}</li>`
  })
  const description = operation.description ? `<p>${inline(operation.description)}</p>` : ''

  return `<section id="${anchor(path)}">
<h2><span class="method">${method.toUpperCase()}</span> <code>${escape(path)}</code> ${token}</h2>
<p>${escape(operation.summary)}</p>${description}
${parameters}<ul class="responses">${responses.join('')}</ul>
</section>`
}

function renderSchema(name: string, schema: SchemaDoc): string {
  const rows = Object.entries(schema.properties ?? {}).map(([field, property]) =>
    row(
      `<code>${escape(field)}</code>`,
      escape(describeType(property)),
      inline(property.description ?? ''),
    ),
  )
  return `<section id="schema-${anchor(name)}"><h3>${escape(name)}</h3>
<p>${inline(schema.description ?? '')}</p><table>${rows.join('')}</table></section>`
}

function navItem(path: string): string {
  return `<li><a href="#${anchor(path)}">${escape(path)}</a></li>`
}

/** A table row of cells that are already HTML. */
function row(...cells: string[]): string {
  return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`
}

/** A one-line summary of a JSON Schema: type, format, enum, bounds and default. */
function describeType(schema: Record<string, unknown>): string {
  const parts: string[] = []
  const type = schema.type ?? (schema.anyOf ? 'one of several' : schema.$ref ? 'object' : 'any')
  parts.push(Array.isArray(type) ? type.join(' | ') : String(type))
  if (schema.format) parts.push(`(${String(schema.format)})`)
  if (Array.isArray(schema.enum)) parts.push(`: ${schema.enum.join(' | ')}`)
  if (schema.minimum !== undefined) parts.push(`≥ ${String(schema.minimum)}`)
  if (schema.maximum !== undefined) parts.push(`≤ ${String(schema.maximum)}`)
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`)
  return parts.join(' ')
}

/** Escapes text, then shows `code` spans as code. */
function inline(text: string): string {
  return escape(text).replace(/`([^`]+)`/g, '<code>$1</code>')
}

function escape(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
}

function anchor(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#fafbfc}
main{max-width:60rem;margin:0 auto;padding:1.5rem}
h1 small{font-size:.9rem;color:#667}
h2{font-size:1.1rem;margin:2rem 0 .3rem;border-top:1px solid #dde;padding-top:1rem}
code{font:13px ui-monospace,monospace;background:#eef1f5;padding:0 .25rem;border-radius:3px}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;vertical-align:top;padding:.25rem .5rem;border-bottom:1px solid #e4e7ec}
.method{color:#fff;background:#2f6f4f;border-radius:3px;padding:0 .4rem;font-size:.85rem}
.tag{font-size:.75rem;color:#8a5a00;border:1px solid #d9b56a;border-radius:3px;padding:0 .3rem}
nav ul{columns:2;padding-left:1rem}
`
