import { applyProjections } from '@historian/queries'

import type { ProjectAppended } from './batch-writer.js'

/**
 * Applies the workflow and session projections to the events a batch inserted, in the batch's
 * own transaction, so a projection never disagrees with the events it was derived from.
 */
export const projectAppended: ProjectAppended = (trx, appended) => applyProjections(trx, appended)
