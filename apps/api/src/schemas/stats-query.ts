import { z } from 'zod'

import { noConflictingAlias, timeParam } from './query-params.js'

/** The query of `GET /stats`. Without a range, the latest `STATS_DEFAULT_WINDOW` of the bucket. */
export const StatsQuery = z
  .object({
    group_by: z.enum(['type', 'agent', 'source']).default('type'),
    bucket: z.enum(['minute', 'hour', 'day']).default('hour'),
    start_time: timeParam.optional().meta({ description: 'Inclusive lower bound.' }),
    end_time: timeParam.optional().meta({ description: 'Exclusive upper bound; default now.' }),
    since: timeParam.optional().meta({ description: 'Alias of `start_time`.' }),
    until: timeParam.optional().meta({ description: 'Alias of `end_time`.' }),
  })
  .superRefine(noConflictingAlias('start_time', 'since'))
  .superRefine(noConflictingAlias('end_time', 'until'))

export type StatsQuery = z.output<typeof StatsQuery>
