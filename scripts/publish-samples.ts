import { fileURLToPath } from 'node:url'

import amqp from 'amqplib'

import { loadConfigOrExit, redactUrl } from '@historian/config'

import { publishSamples, readSamples } from './lib/manifest.js'

/**
 * `pnpm publish-samples [dir]`: publishes a folder of message files with a manifest to the
 * Bloodbank exchange as raw bytes. The default folder is the repository's own fixtures.
 */
const config = loadConfigOrExit()
const dir = process.argv[2] ?? fileURLToPath(new URL('../fixtures/bloodbank/', import.meta.url))

const connection = await amqp.connect(config.RABBITMQ_URL)
try {
  const channel = await connection.createConfirmChannel()
  await channel.assertExchange(config.BLOODBANK_EXCHANGE, 'topic', { durable: true })

  const samples = await readSamples(dir)
  const published = await publishSamples(channel, config.BLOODBANK_EXCHANGE, samples)
  const skipped = samples.length - published.length
  console.log(
    `published ${published.length} messages from ${dir} to ${config.BLOODBANK_EXCHANGE} ` +
      `at ${redactUrl(config.RABBITMQ_URL)}` +
      (skipped ? ` (${skipped} NATS samples skipped: no NATS source yet)` : ''),
  )
} finally {
  await connection.close()
}
