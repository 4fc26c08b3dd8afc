import type { Context } from 'hono'

/**
 * The `Link` header pointing at the next page: this request's path and query with `after` set
 * to the cursor and `offset` dropped (the cursor already stands past the skipped rows). The URL
 * is relative, so it stays right behind a proxy that rewrites the host.
 */
export function nextLink(c: Context, cursor: string): Record<string, string> {
  const url = new URL(c.req.url)
  url.searchParams.delete('offset')
  url.searchParams.set('after', cursor)
  return { link: `<${url.pathname}${url.search}>; rel="next"` }
}
