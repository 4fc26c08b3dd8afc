export const INITIAL_BACKOFF_MS = 100
export const MAX_BACKOFF_MS = 5000

/** Capped exponential backoff with jitter, so replicas that lost the same server spread out. */
export function backoffMs(attempt: number): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** Math.min(attempt, 16))
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2))
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })

    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
  })
}
