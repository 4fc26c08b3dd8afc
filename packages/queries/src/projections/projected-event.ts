import type { DecodedEvent } from '@historian/envelope'

/** A stored event as the projections read it: the decoded event plus its position. */
export type ProjectedEvent = DecodedEvent & {
  /** Decimal text of the event's `position`. */
  position: string
}
