import type { Config } from '@historian/config'
import { z } from 'zod'

import { afterParam, limitParam, offsetParam } from './query-params.js'

/** The query of `GET /correlations/{id}`: a page, always oldest first. */
export function correlationsQuerySchema(config: Config) {
  return z.object({
    limit: limitParam(config),
    offset: offsetParam.optional(),
    after: afterParam.optional(),
  })
}
