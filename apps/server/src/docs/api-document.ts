import { Injectable, type INestApplication } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject, OperationObject, ParameterObject, PathItemObject } from '@nestjs/swagger';
import { DEFAULT_REQUIREMENT, REQUIREMENT, type Requirement } from '../access/requires.decorator';
import { BEHIND_HEADER } from '../operations/behind-header';
import { isDtoClass, schemaOfDto, SCHEMA_REF_PREFIX, type SchemaObject } from './dto-schemas';
import { REQUEST_EXAMPLES, type RequestExample } from './request-examples';

/** The bearer scheme (an API key) and the Segment write key as a basic-auth user name. */
export const SECURITY_SCHEMES = { apiKey: 'apiKey', segmentWriteKey: 'segmentWriteKey' } as const;

/** Routes the document leaves out: the dashboard's catch-all serves pages, not an API. */
const UNDOCUMENTED = /\*/;

const VERBS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/** What the document needs to know about one handler, read from Nest's metadata. */
interface Handler {
  module: string;
  controller: Function;
  method: string;
  /** How many routes its controller has (a summary names the method when there are several). */
  siblings: number;
  requirement: Requirement;
  query: Function | null;
  params: Function | null;
  body: Function | null;
  /** Whether it reads a body at all (typed `unknown` when the controller parses it itself). */
  takesBody: boolean;
}

/**
 * The OpenAPI 3 document of the server, generated on first request and kept: paths, methods and
 * path parameters from the router (@nestjs/swagger's scanner), query parameters and bodies from
 * the class-validator DTOs (dto-schemas.ts), who may call each route from its `@Requires` /
 * `@Public` (the guard's own metadata), an example for every query and body (request-examples.ts),
 * the one error body, and the behind header of read answers.
 */
@Injectable()
export class ApiDocument {
  private app: INestApplication | null = null;
  private document: OpenAPIObject | null = null;
  private json: string | null = null;

  /** Called once by `createServer`: the scanner reads the whole application. */
  describe(app: INestApplication): void {
    this.app = app;
  }

  get(): OpenAPIObject {
    if (!this.app) throw new Error('ApiDocument.describe(app) was not called');
    this.document ??= buildApiDocument(this.app);
    return this.document;
  }

  /** The document as JSON text, serialized once. */
  text(): string {
    this.json ??= JSON.stringify(this.get());
    return this.json;
  }
}

export function buildApiDocument(app: INestApplication): OpenAPIObject {
  // loaded when the document is first asked for, not at every start: it takes a third of a second
  const { DocumentBuilder, SwaggerModule } = require('@nestjs/swagger') as typeof import('@nestjs/swagger');
  const config = new DocumentBuilder()
    .setTitle('Journeyline API')
    .setDescription(
      [
        'Event-sourced customer journeys: record touchpoints, feedback, tickets and purchases; read journeys, CX metrics (NPS, CSAT, CES, reviews, TTR), funnels, retention and churn risks.',
        '',
        'Every route takes an API key (`Authorization: Bearer jlk_…`) with the scope it names, except `/health*`, the survey pages `/s/{token}` and this document. The Segment-compatible routes `/v1/*` also take the Segment write key as the basic-auth user name.',
        '',
        `Read answers carry \`${BEHIND_HEADER}\`: how many events of the log the read models had not applied yet (0: complete).`,
        'Every refusal has one shape: `statusCode`, `error`, `message` and `errors` (each field and why).',
      ].join('\n'),
    )
    .setVersion('1')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'An API key, `jlk_…` (POST /api/v1/keys or `journeyline keys create`)' },
      SECURITY_SCHEMES.apiKey,
    )
    .addBasicAuth(
      {
        type: 'http',
        scheme: 'basic',
        description: 'The Segment write key (JOURNEYLINE_SEGMENT_WRITE_KEY) as the user name, no password: what Segment libraries send',
      },
      SECURITY_SCHEMES.segmentWriteKey,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller}_${method}` });
  const handlers = handlersOf(app);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA } };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const verb of VERBS) {
      const operation = item[verb];
      if (!operation) continue;
      const handler = handlers.get(operation.operationId ?? '');
      const route = `${verb.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
      if (!handler || UNDOCUMENTED.test(routePathOf(handler))) {
        delete item[verb];
        continue;
      }
      describeOperation(document, path, route, operation, handler, REQUEST_EXAMPLES[route]);
    }
    if (VERBS.every((verb) => !(item as PathItemObject)[verb])) delete document.paths[path];
  }
  return document;
}

function describeOperation(
  document: OpenAPIObject,
  path: string,
  route: string,
  operation: OperationObject,
  handler: Handler,
  example: RequestExample | undefined,
): void {
  const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  const name = words(handler.controller.name.replace(/Controller$/, ''));
  operation.summary = `${name.charAt(0).toUpperCase()}${name.slice(1)}${handler.siblings > 1 ? ` (${words(handler.method)})` : ''}`;
  operation.tags = [words(handler.module.replace(/Module$/, '')).replace(/ /g, '-')];
  const { security, who, scope } = access(handler.requirement, path);
  operation.security = security;
  operation.description = who;
  if (scope) (operation as OperationObject & { 'x-journeyline-scope'?: string })['x-journeyline-scope'] = scope;

  const parameters: ParameterObject[] = [];
  if (handler.params) parameters.push(...propertiesAsParameters(handler.params, 'path', example?.path));
  for (const parameter of (operation.parameters ?? []) as ParameterObject[]) {
    if (parameter.in === 'path' && !parameters.some((p) => p.name === parameter.name))
      parameters.push({ ...parameter, example: example?.path?.[parameter.name] });
  }
  // every template variable is a declared path parameter, whatever declared it
  for (const [, variable] of path.matchAll(/\{(\w+)\}/g)) {
    if (!parameters.some((p) => p.in === 'path' && p.name === variable))
      parameters.push({ name: variable, in: 'path', required: true, schema: { type: 'string' } });
  }
  if (handler.query) parameters.push(...propertiesAsParameters(handler.query, 'query', example?.query));
  operation.parameters = parameters;

  // a body parsed by the controller itself is described by its example entry; without one it is still listed (and the generated test asks for the entry)
  const bodySchema = handler.body ? namedSchema(document, handler.body) : handler.takesBody ? bodySchemaOf(document, example) : null;
  if (bodySchema) {
    const contentType = example?.contentType ?? 'application/json';
    operation.requestBody = {
      required: true,
      ...(example?.bodyDescription ? { description: example.bodyDescription } : {}),
      content: { [contentType]: { schema: bodySchema, ...(example?.body !== undefined ? { example: example.body } : {}) } },
    };
  } else {
    delete operation.requestBody;
  }

  const problem = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: `${SCHEMA_REF_PREFIX}Problem` } } } });
  const success = Object.keys(operation.responses ?? {}).find((code) => code.startsWith('2')) ?? '200';
  operation.responses = {
    [success]: {
      description: example?.answer ?? 'The answer',
      ...(route.startsWith('GET /api/v1/')
        ? {
            headers: {
              [BEHIND_HEADER]: {
                description: 'Events of the log the read models had not applied when the request came in (0: the answer is complete)',
                schema: { type: 'integer', minimum: 0 },
              },
            },
          }
        : {}),
    },
    ...(parameters.length > 0 || bodySchema ? { 400: problem('The request is invalid: `errors` names each field and why') } : {}),
    ...(!('public' in handler.requirement) ? { 401: problem('No key, or not a valid one'), 403: problem('The key lacks the scope this route needs') } : {}),
  };
}

function access(requirement: Requirement, path: string): { security: Record<string, string[]>[]; who: string; scope: string | null } {
  if ('public' in requirement) return { security: [], who: 'Public: no key needed.', scope: null };
  const bearer = { [SECURITY_SCHEMES.apiKey]: [] as string[] };
  const security = path.startsWith('/v1/') ? [bearer, { [SECURITY_SCHEMES.segmentWriteKey]: [] as string[] }] : [bearer];
  if ('signedIn' in requirement) return { security, who: 'Any valid key or dashboard session.', scope: null };
  const also = requirement.scope === 'admin' ? '' : ' (or `admin`)';
  return { security, who: `Needs a key with the \`${requirement.scope}\` scope${also}.`, scope: requirement.scope };
}

function propertiesAsParameters(dto: Function, where: 'query' | 'path', examples: Record<string, unknown> | undefined): ParameterObject[] {
  const schema = schemaOfDto(dto);
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
    ...(examples && name in examples ? { example: examples[name] } : {}),
  }));
}

/** A DTO's schema under its class name in `components.schemas`, referenced from the operation. */
function namedSchema(document: OpenAPIObject, dto: Function): SchemaObject {
  document.components!.schemas![dto.name] = schemaOfDto(dto);
  return { $ref: `${SCHEMA_REF_PREFIX}${dto.name}` };
}

/** The schema of a body the controller parses itself (`unknown`): as the example entry gives it. */
function bodySchemaOf(document: OpenAPIObject, example: RequestExample | undefined): SchemaObject {
  return typeof example?.schema === 'function' ? example.schema(document) : (example?.schema ?? { type: 'object' });
}

function routePathOf(handler: Handler): string {
  const classPath = String(Reflect.getMetadata('path', handler.controller) ?? '');
  const methodPath = String(Reflect.getMetadata('path', (handler.controller.prototype as Record<string, Function>)[handler.method]) ?? '');
  return `${classPath}/${methodPath}`;
}

/** Every route handler of every controller, by the operation id the scanner gives it. */
function handlersOf(app: INestApplication): Map<string, Handler> {
  const handlers = new Map<string, Handler>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Function | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, Function>;
      const methods = Object.getOwnPropertyNames(prototype).filter((m) => m !== 'constructor' && Reflect.getMetadata('method', prototype[m]) !== undefined);
      for (const method of methods) {
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, { index: number; data?: unknown }>;
        const types = (Reflect.getMetadata('design:paramtypes', prototype, method) ?? []) as unknown[];
        const dtoOf = (kind: RouteParamtypes): Function | null => {
          const entry = Object.entries(args).find(([key, arg]) => key.split(':')[0] === String(kind) && arg.data === undefined);
          const type = entry ? types[entry[1].index] : undefined;
          return isDtoClass(type) ? type : null;
        };
        const requirement =
          (Reflect.getMetadata(REQUIREMENT, prototype[method]) as Requirement | undefined) ??
          (Reflect.getMetadata(REQUIREMENT, controller) as Requirement | undefined) ??
          DEFAULT_REQUIREMENT;
        handlers.set(`${controller.name}_${method}`, {
          module: module.metatype.name,
          controller,
          method,
          siblings: methods.length,
          requirement,
          query: dtoOf(RouteParamtypes.QUERY),
          params: dtoOf(RouteParamtypes.PARAM),
          body: dtoOf(RouteParamtypes.BODY),
          takesBody: Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY)),
        });
      }
    }
  }
  return handlers;
}

/** The one error body (http/problem.ts). */
const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['statusCode', 'error', 'message', 'errors'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    error: { type: 'string', example: 'Bad Request' },
    message: { type: 'string', example: 'metric must be one of nps, csat, ces, review, ttr' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'reason'],
        properties: {
          field: { type: 'string', example: 'metric' },
          reason: { type: 'string', example: 'metric must be one of nps, csat, ces, review, ttr' },
          index: { type: 'integer', description: 'The event’s place in a batch' },
          eventId: { type: 'string' },
        },
      },
    },
  },
};
