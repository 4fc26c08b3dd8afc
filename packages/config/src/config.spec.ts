import { describe, expect, it } from 'vitest'

import { ConfigError, loadConfig, redactUrl } from './config.js'

describe('loadConfig', () => {
  it('gives every variable a default that works against local services', () => {
    const config = loadConfig({})

    expect(config.DATABASE_URL).toBe('postgres://postgres@localhost:5432/historian')
    expect(config.BLOODBANK_EXCHANGE).toBe('bloodbank.events.v1')
    expect(config.EVENT_STORE_MANAGER_PORT).toBe(8080)
    expect(config.INGEST_PORT).toBe(8081)
    expect(config.INGEST_MAX_MESSAGE_BYTES).toBe(16 * 1024 * 1024)
    expect(config.API_TOKENS).toEqual([])
    expect(config.WS_MAX_BUFFERED_BYTES).toBe(8 * 1024 * 1024)
  })

  it('treats an empty value as unset', () => {
    expect(loadConfig({ INGEST_BATCH_SIZE: '' }).INGEST_BATCH_SIZE).toBe(1000)
  })

  it('splits comma-separated lists and trims them', () => {
    const config = loadConfig({ API_TOKENS: ' a, b ,,c ', API_CORS_ORIGINS: 'http://x' })
    expect(config.API_TOKENS).toEqual(['a', 'b', 'c'])
    expect(config.API_CORS_ORIGINS).toEqual(['http://x'])
  })

  it('reports one problem per bad variable, naming it', () => {
    const attempt = () =>
      loadConfig({ INGEST_BATCH_SIZE: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' })

    expect(attempt).toThrow(ConfigError)
    try {
      attempt()
    } catch (error) {
      const problems = (error as ConfigError).problems
      expect(problems).toHaveLength(3)
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
        'DATABASE_URL',
        'INGEST_BATCH_SIZE',
        'LOG_LEVEL',
      ])
    }
  })
})

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('amqp://guest:secret@host:5672/vh')).toBe('amqp://guest:***@host:5672/vh')
    expect(redactUrl('postgres://postgres@localhost/db')).toBe('postgres://postgres@localhost/db')
  })
})
