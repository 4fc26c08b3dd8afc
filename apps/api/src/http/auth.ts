import { createHash, timingSafeEqual } from 'node:crypto'

import type { Config } from '@historian/config'
import type { MiddlewareHandler } from 'hono'

import { ApiError } from './api-error.js'
import { toProblem } from './on-error.js'

/**
 * Whether a request may read the API: always when `API_TOKENS` is empty; otherwise when the
 * `Authorization: Bearer <token>` header, or else `queryToken` (the WebSocket upgrade's `token`
 * parameter, since browsers cannot set headers there), names a configured token.
 * Tokens are compared through fixed-length digests in constant time.
 */
export function isAuthorized(
  config: Pick<Config, 'API_TOKENS'>,
  authorizationHeader: string | null | undefined,
  queryToken?: string | null,
): boolean {
  if (config.API_TOKENS.length === 0) return true

  const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorizationHeader ?? '')?.[1]
  const presented = bearer ?? queryToken ?? undefined
  if (!presented) return false

  const digest = sha256(presented)
  let matched = false
  for (const token of config.API_TOKENS) {
    if (timingSafeEqual(digest, sha256(token))) matched = true
  }
  return matched
}

/** Answers 401 problem+json, with a `WWW-Authenticate` challenge, unless `isAuthorized`. */
export function requireToken(config: Pick<Config, 'API_TOKENS'>): MiddlewareHandler {
  return async function requireTokenMiddleware(c, next) {
    if (isAuthorized(config, c.req.header('authorization'))) return next()

    const detail = 'a valid "Authorization: Bearer <token>" header is required'
    const problem = toProblem(new ApiError(401, 'unauthorized', detail))
    return c.body(JSON.stringify(problem), 401, {
      'content-type': 'application/problem+json',
      'www-authenticate': 'Bearer realm="historian"',
    })
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}
