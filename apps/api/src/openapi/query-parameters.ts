import { z } from 'zod'

/** An OpenAPI 3.1 parameter object. */
export interface ParameterObject {
  name: string
  in: 'query' | 'path'
  required: boolean
  description?: string
  schema: Record<string, unknown>
}

/**
 * The query parameters a zod object schema accepts, described by `z.toJSONSchema` from the
 * request side (`io: 'input'`), so defaults and limits read as the validator applies them.
 */
export function queryParameters(schema: z.ZodType): ParameterObject[] {
  const object = toJsonSchema(schema)
  const properties = (object.properties ?? {}) as Record<string, Record<string, unknown>>
  const required = new Set((object.required ?? []) as string[])

  return Object.entries(properties).map(([name, property]) => {
    const { description, ...propertySchema } = property
    return {
      name,
      in: 'query',
      required: required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: propertySchema,
    }
  })
}

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1) without its `$schema` line. */
export function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>
  return rest
}
