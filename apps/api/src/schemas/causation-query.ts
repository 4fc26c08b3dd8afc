import type { Config } from '@historian/config'
import { z } from 'zod'

import { maxDepthParam } from './query-params.js'

/** The query of `GET /events/{id}/descendants`. */
export function descendantsQuerySchema(config: Config) {
  return z.object({
    format: z
      .enum(['flat', 'tree'])
      .default('flat')
      .meta({ description: '`flat`: a list with `depth`; `tree`: the event with `children`.' }),
    max_depth: maxDepthParam(config),
  })
}

/** The query of `GET /events/{id}/ancestors`. */
export function ancestorsQuerySchema(config: Config) {
  return z.object({ max_depth: maxDepthParam(config) })
}
