/**
 * Measures `decode` and `renderEventJson` on a 2 KB envelope v1 body, next to `JSON.parse` of
 * the same text. Run: `pnpm exec tsx packages/envelope/bench/decode.ts`. Each case runs in 30
 * interleaved rounds; the minimum is the least disturbed by other work on the machine.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { decode, renderEventJson, type IncomingMessage } from '../src/index.js'
import { DEFAULT_LIMITS, storedRowOf } from '../src/spec-support.js'

const BODY_BYTES = 2048
const ROUNDS = 30
const CALLS_PER_ROUND = 10_000

const sample = fileURLToPath(
  new URL('../../../fixtures/bloodbank/06-e1-workflow-phase-completed.json', import.meta.url),
)
const parsed = JSON.parse(readFileSync(sample, 'utf8')) as { payload: Record<string, unknown> }
// Pad to the target size: the padding string's own quotes and key are counted first.
parsed.payload.summary = ''
parsed.payload.summary = 'x'.repeat(BODY_BYTES - Buffer.byteLength(JSON.stringify(parsed)))
const body = Buffer.from(JSON.stringify(parsed))
const text = body.toString('utf8')

const message: IncomingMessage = {
  body,
  routingKey: 'bmad.workflow.phase.completed',
  exchange: 'bloodbank.events.v1',
  redelivered: false,
  receivedAt: new Date(),
}
const shallow = { ...DEFAULT_LIMITS, maxJsonDepth: 64 }

const decoded = decode(message, DEFAULT_LIMITS)
if (!decoded.ok) throw new Error(decoded.detail)
const row = storedRowOf(decoded.event, '1000000')

const cases: Record<string, () => unknown> = {
  'decode (depth limit 4096)': () => decode(message, DEFAULT_LIMITS),
  'decode (depth scan, limit 64)': () => decode(message, shallow),
  'JSON.parse alone': () => JSON.parse(text),
  renderEventJson: () => renderEventJson(row),
}

const samples = new Map<string, number[]>()
for (let round = 0; round < ROUNDS; round += 1) {
  for (const [name, run] of Object.entries(cases)) {
    const started = process.hrtime.bigint()
    for (let call = 0; call < CALLS_PER_ROUND; call += 1) run()
    const nanos = Number(process.hrtime.bigint() - started) / CALLS_PER_ROUND
    const list = samples.get(name) ?? []
    list.push(nanos / 1000)
    samples.set(name, list)
  }
}

console.log(`body: ${body.length} bytes`)
for (const [name, micros] of samples) {
  micros.sort((a, b) => a - b)
  const median = micros[Math.floor(micros.length / 2)] ?? 0
  console.log(`${name.padEnd(32)} min ${micros[0]?.toFixed(2)} µs  median ${median.toFixed(2)} µs`)
}
