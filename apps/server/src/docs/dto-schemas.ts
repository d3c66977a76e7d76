import type { ReferenceObject, SchemaObject as PlainSchema } from '@nestjs/swagger';

/** A schema, or a reference to one of the document's named schemas. */
export type SchemaObject = PlainSchema | ReferenceObject;

/** Where the document keeps its named schemas. */
export const SCHEMA_REF_PREFIX = '#/components/schemas/';

/**
 * A request DTO's JSON Schema, read from its class-validator decorators (and class-transformer's
 * `@Type`, which makes a query string's number an integer): the DTOs carry validation and nothing
 * else, and the document cannot drift from what the server checks. Request DTOs are flat, so a
 * reference can only come from a custom validator the conversion cannot read (the score of a
 * feedback, say): it becomes "any value", and the server's 400 says what is wrong with one.
 */
export function schemaOfDto(dto: Function): PlainSchema {
  // loaded with the document (on its first request), not at every start
  const { targetConstructorToSchema } = require('class-validator-jsonschema') as typeof import('class-validator-jsonschema');
  // `@Type(() => Number)` is class-transformer's: its storage is not in the package's typed entry point
  const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');
  const schema = targetConstructorToSchema(dto, {
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: SCHEMA_REF_PREFIX,
  }) as PlainSchema;
  return withoutRefs(schema);
}

/** Whether a parameter's declared type is a DTO class (not `unknown`, a string or a number). */
export function isDtoClass(type: unknown): type is Function {
  return typeof type === 'function' && ![Object, String, Number, Boolean, Array].includes(type as never);
}

function withoutRefs(schema: PlainSchema): PlainSchema {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const record = node as Record<string, unknown>;
    if (typeof record.$ref === 'string') return {};
    return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, visit(value)]));
  };
  return visit(schema) as PlainSchema;
}
