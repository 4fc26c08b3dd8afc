/** Latency samples of one measured query, in milliseconds. */
export interface Latency {
  name: string
  samples: number[]
  /** The p99 this query must stay under, if DESIGN section 11 sets one. */
  targetMs?: number
}

/** The nearest-rank percentile of sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

/** One line per query: samples, p50, p99, and the target with a verdict. */
export function formatLatencies(latencies: readonly Latency[]): string {
  const width = Math.max(...latencies.map((l) => l.name.length))
  const header = `${'query'.padEnd(width)}  samples   p50 ms   p99 ms  target`
  const lines = latencies.map((latency) => {
    if (latency.samples.length === 0) {
      return `${latency.name.padEnd(width)}        0  (the data has no second page here)`
    }
    const sorted = [...latency.samples].sort((a, b) => a - b)
    const p50 = percentile(sorted, 50)
    const p99 = percentile(sorted, 99)
    const target =
      latency.targetMs === undefined
        ? '-'
        : `p99 < ${latency.targetMs} ms ${p99 < latency.targetMs ? 'ok' : 'MISSED'}`
    return (
      `${latency.name.padEnd(width)}  ${String(sorted.length).padStart(7)}  ` +
      `${p50.toFixed(2).padStart(7)}  ${p99.toFixed(2).padStart(7)}  ${target}`
    )
  })
  return [header, ...lines].join('\n')
}
