import type { RepairFlag } from './types.js'

/** The order of the `RepairFlag` union, which is the order flags are listed in. */
const FLAG_ORDER: readonly RepairFlag[] = [
  'id_derived',
  'id_mapped',
  'parent_id_mapped',
  'time_inferred',
  'time_naive',
  'nul_replaced',
]

/** @internal Repairs made so far, one bit per flag (bit i is `FLAG_ORDER[i]`); a Set cost more. */
export interface Repairs {
  bits: number
}

/** @internal Records a repair. */
export function repair(repairs: Repairs, flag: RepairFlag): void {
  repairs.bits |= 1 << FLAG_ORDER.indexOf(flag)
}

/** @internal The recorded flags, in the order of the `RepairFlag` union. */
export function flagsOf(repairs: Repairs): RepairFlag[] {
  const flags: RepairFlag[] = []
  for (let bit = 0; bit < FLAG_ORDER.length; bit += 1) {
    if ((repairs.bits & (1 << bit)) !== 0) flags.push(FLAG_ORDER[bit]!)
  }
  return flags
}
