/** A small deterministic random source, so a failing property test can be replayed by seed. */
export interface SeededRandom {
  /** A float in [0, 1). */
  next: () => number
  /** An integer in [0, bound). */
  int: (bound: number) => number
  pick: <T>(items: readonly T[]) => T
  /** A shuffled copy (Fisher–Yates). */
  shuffle: <T>(items: readonly T[]) => T[]
}

/** mulberry32: 32 bits of state, good enough to vary orders, and the same on every machine. */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0

  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (bound: number) => Math.floor(next() * bound)

  return {
    next,
    int,
    pick: (items) => items[int(items.length)]!,
    shuffle: (items) => {
      const copy = [...items]
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(i + 1)
        ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
      }
      return copy
    },
  }
}
