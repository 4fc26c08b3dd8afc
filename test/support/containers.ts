import { GenericContainer, Wait } from 'testcontainers'

/** Fallback for machines with Docker and no local services; CI uses localhost instead. */
interface Started {
  url: string
  stop: () => Promise<unknown>
}

export async function PostgreSqlContainer(): Promise<Started> {
  const container = await new GenericContainer('postgres:15')
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/ready to accept connections/, 2))
    .start()
  const url = `postgres://postgres@${container.getHost()}:${container.getMappedPort(5432)}/postgres`
  return { url, stop: () => container.stop() }
}

export async function RabbitMqContainer(): Promise<Started> {
  const container = await new GenericContainer('rabbitmq:3.10')
    .withExposedPorts(5672)
    .withWaitStrategy(Wait.forLogMessage(/Server startup complete/))
    .start()
  const url = `amqp://guest:guest@${container.getHost()}:${container.getMappedPort(5672)}`
  return { url, stop: () => container.stop() }
}
