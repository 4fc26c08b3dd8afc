import type { BenchQuery } from './bench-queries.js'

/** Makes one request and says how long it took, body read included. */
export type TimedRequest = (url: string) => Promise<{ res: Response; millis: number }>

const MAX_PAGES_PER_WALK = 30

/**
 * Up to `samples` latencies of one query. A `pages` query walks each start URL in turn along
 * its `Link: rel="next"` headers and times only requests that carry `after`; a `repeat` query
 * requests its URL again and again. The first `warmup` timings are dropped.
 */
export async function measureQuery(
  request: TimedRequest,
  query: BenchQuery,
  samples: number,
  warmup: number,
): Promise<number[]> {
  const timings: number[] = []
  const wanted = samples + warmup

  if (query.kind === 'repeat') {
    while (timings.length < wanted) timings.push((await request(query.urls[0]!)).millis)
    return timings.slice(warmup)
  }

  for (let walk = 0; timings.length < wanted && walk < query.urls.length * 50; walk++) {
    let url: string | null = query.urls[walk % query.urls.length]!
    for (let depth = 0; url && depth < MAX_PAGES_PER_WALK && timings.length < wanted; depth++) {
      const { res, millis } = await request(url)
      if (depth > 0) timings.push(millis)
      url = /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '')?.[1] ?? null
    }
  }
  return timings.slice(warmup)
}
