/**
 * An error with a stable code that the edge turns into `application/problem+json`. Lower layers
 * throw these (or plain errors, which become 500s); only `onError` decides the response.
 */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 405 | 409 | 413 | 503 | 500,
    readonly code: string,
    message: string,
    readonly param?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'ApiError'
  }
}

/** A request parameter that does not validate: 400, naming the parameter. */
export function badParameter(param: string, message: string): ApiError {
  return new ApiError(400, 'invalid_parameter', message, param)
}

export function notFound(what: string): ApiError {
  return new ApiError(404, 'not_found', `${what} was not found`)
}
