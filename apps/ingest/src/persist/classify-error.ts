/**
 * SQLSTATE classes that blame the data of one row: data exceptions (22), integrity violations
 * (23) and program limits such as an index entry that is too large (54). Retrying such a batch
 * can never succeed, so it is split to find the row. Anything else (a lost connection, a server
 * shutting down, a missing table during a deploy) is treated as transient and retried, because
 * dead-lettering a healthy message for the database's sake would lose it from the history.
 */
const ROW_LEVEL_CLASSES = new Set(['22', '23', '54'])

export type WriteFailure = 'row' | 'transient'

export function classifyWriteError(error: unknown): WriteFailure {
  const code = (error as { code?: unknown } | undefined)?.code
  if (typeof code === 'string' && code.length === 5 && ROW_LEVEL_CLASSES.has(code.slice(0, 2))) {
    return 'row'
  }
  return 'transient'
}
