import net from 'node:net'

import type { TestProject } from 'vitest/node'

import { buildApps } from '../../scripts/build.js'

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string
    rabbitmqUrl: string
  }
}

const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres'
const LOCAL_RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672'

/**
 * Finds the PostgreSQL and RabbitMQ the tests use: the URLs in the environment, else the
 * services on localhost, else (only where Docker runs) containers started for this run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: Array<() => Promise<unknown>> = []

  // Tests that start real processes run the same bundles as `npm start`, fresh from the sources.
  await buildApps()

  let databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) {
    if (await reachable(5432)) databaseUrl = LOCAL_DATABASE_URL
    else {
      const { PostgreSqlContainer } = await import('./containers.js')
      const container = await PostgreSqlContainer()
      stops.push(() => container.stop())
      databaseUrl = container.url
    }
  }

  let rabbitmqUrl = process.env.RABBITMQ_URL
  if (!rabbitmqUrl) {
    if (await reachable(5672)) rabbitmqUrl = LOCAL_RABBITMQ_URL
    else {
      const { RabbitMqContainer } = await import('./containers.js')
      const container = await RabbitMqContainer()
      stops.push(() => container.stop())
      rabbitmqUrl = container.url
    }
  }

  project.provide('databaseUrl', databaseUrl)
  project.provide('rabbitmqUrl', rabbitmqUrl)

  return async () => {
    for (const stop of stops) await stop()
  }
}

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    socket.setTimeout(1000)
    socket.once('connect', () => resolve(true))
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => resolve(false))
    socket.once('close', () => socket.destroy())
    socket.unref()
  }).finally(() => undefined) as Promise<boolean>
}
