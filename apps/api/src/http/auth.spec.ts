import { describe, expect, it } from 'vitest'

import { isAuthorized } from './auth.js'

describe('isAuthorized', () => {
  const config = { API_TOKENS: ['alpha-token', 'beta-token'] }

  it('lets everything through when no token is configured', () => {
    expect(isAuthorized({ API_TOKENS: [] }, undefined)).toBe(true)
  })

  it('accepts any configured token as a bearer token, whatever the scheme case', () => {
    expect(isAuthorized(config, 'Bearer alpha-token')).toBe(true)
    expect(isAuthorized(config, 'bearer beta-token')).toBe(true)
  })

  it('refuses a missing, unknown, partial or differently-schemed token', () => {
    expect(isAuthorized(config, undefined)).toBe(false)
    expect(isAuthorized(config, 'Bearer gamma-token')).toBe(false)
    expect(isAuthorized(config, 'Bearer alpha')).toBe(false)
    expect(isAuthorized(config, 'Basic alpha-token')).toBe(false)
    expect(isAuthorized(config, 'alpha-token')).toBe(false)
  })

  it('accepts a query token, for a WebSocket upgrade, when there is no header', () => {
    expect(isAuthorized(config, undefined, 'beta-token')).toBe(true)
    expect(isAuthorized(config, null, 'wrong')).toBe(false)
    expect(isAuthorized(config, undefined, '')).toBe(false)
  })
})
