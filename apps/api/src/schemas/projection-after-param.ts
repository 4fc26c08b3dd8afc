import { decodeProjectionCursor, type ProjectionCursor } from '@historian/queries'
import { z } from 'zod'

/** The `after` cursor of `GET /workflows` and `GET /agents`: a (time, id) place in the list. */
export const projectionAfterParam = z
  .string()
  .meta({ description: 'Opaque cursor from the `Link: rel="next"` header of the previous page.' })
  .transform((text, ctx): ProjectionCursor => {
    const cursor = decodeProjectionCursor(text)
    if (cursor) return cursor
    ctx.issues.push({ code: 'custom', input: text, message: 'is not a cursor from this API' })
    return z.NEVER
  })
