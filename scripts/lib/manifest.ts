import { readFile } from 'node:fs/promises'
import path from 'node:path'

import type { ConfirmChannel, Options } from 'amqplib'

/** One line of a samples manifest (the format of `fixtures/bloodbank/manifest.json`). */
export interface ManifestEntry {
  file: string
  transport: 'amqp' | 'nats'
  routing_key?: string
  subject?: string
  properties?: {
    content_type?: string
    content_encoding?: string
    delivery_mode?: number
    message_id?: string
  }
  expect: 'store' | 'duplicate' | 'refuse'
  event_id?: string
  flags?: string[]
}

export interface Sample extends ManifestEntry {
  body: Buffer
}

/** Reads a folder's manifest and the bytes of every file it names, in manifest order. */
export async function readSamples(dir: string): Promise<Sample[]> {
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'))
  return Promise.all(
    (manifest as ManifestEntry[]).map(async (entry) => ({
      ...entry,
      body: await readFile(path.join(dir, entry.file)),
    })),
  )
}

/**
 * Publishes the AMQP samples as raw bytes with their manifest properties, one at a time and in
 * order, each confirmed by the broker. NATS samples are left out.
 */
export async function publishSamples(
  channel: ConfirmChannel,
  exchange: string,
  samples: readonly Sample[],
): Promise<Sample[]> {
  const published: Sample[] = []
  for (const sample of samples) {
    if (sample.transport !== 'amqp' || !sample.routing_key) continue

    const props = sample.properties ?? {}
    const options: Options.Publish = {
      contentType: props.content_type,
      contentEncoding: props.content_encoding,
      deliveryMode: props.delivery_mode,
      messageId: props.message_id,
    }
    await new Promise<void>((resolve, reject) => {
      channel.publish(exchange, sample.routing_key!, sample.body, options, (err) =>
        err ? reject(err) : resolve(),
      )
    })
    published.push(sample)
  }
  return published
}
