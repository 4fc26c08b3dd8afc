/**
 * @internal Where a format keeps its payload: the first key present wins; with neither, the
 * payload is the body itself (less the envelope fields, when rendered). Legacy and CloudEvents
 * bodies call it `data`; every other shape calls it `payload`.
 */
export function payloadKeys(format: string): readonly [string, string] {
  return format === 'legacy_v0' || format === 'cloudevents' ? DATA_FIRST : PAYLOAD_FIRST
}

const DATA_FIRST = ['data', 'payload'] as const
const PAYLOAD_FIRST = ['payload', 'data'] as const
