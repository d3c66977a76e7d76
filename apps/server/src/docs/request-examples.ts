import type { OpenAPIObject } from '@nestjs/swagger';
import { DATA_DTO, WireEventDto } from '@journeyline/recording';
import { schemaOfDto, SCHEMA_REF_PREFIX, type SchemaObject } from './dto-schemas';

/**
 * What the document shows for one route beside its schema: an example of its query string and
 * body, and the schema of a body the controller parses itself (typed `unknown` there because it
 * nests, or because a batch error must name each bad event). Keyed by the router's `METHOD /path`.
 * The generated test (test/api-docs.e2e-spec.ts) fails when a route that takes a query or a body
 * has no example here, when an example names a parameter the route does not take, and when the
 * server refuses an example with 400, so the examples cannot go stale.
 */
export interface RequestExample {
  /** Query parameters, each shown as its parameter's example. */
  query?: Record<string, unknown>;
  /** Path parameters, each shown as its parameter's example. */
  path?: Record<string, unknown>;
  body?: unknown;
  /** The body's schema where no DTO declares it: a schema, or one built on the document (to name the schemas it uses). */
  schema?: SchemaObject | ((document: OpenAPIObject) => SchemaObject);
  /** Default `application/json`. */
  contentType?: string;
  bodyDescription?: string;
  /** What a successful answer holds, in a sentence. */
  answer?: string;
}

const WINDOW = { from: '2026-11-01', to: '2026-12-01' };

const VISIT = {
  eventId: 'web-7f3c9a',
  type: 'touchpoint.visited',
  customerId: 'c-1042',
  occurredAt: '2026-11-20T09:00:00+07:00',
  data: { touchpoint: 'web:pricing', channel: 'web', stage: 'evaluation' },
};
const FEEDBACK = {
  type: 'feedback.given',
  customerId: 'c-1042',
  occurredAt: '2026-11-20T09:15:00+07:00',
  data: { kind: 'nps', score: 9, scale: '0-10', touchpoint: 'hotline', channel: 'phone', stage: 'use', comment: 'Nhân viên hỗ trợ nhanh' },
};

/** The wire event: the envelope's schema, its `data` one of the schemas of each type's data. */
function wireEventSchema(document: OpenAPIObject): SchemaObject {
  const schemas = document.components!.schemas!;
  const dataRefs: SchemaObject[] = [];
  for (const [type, dto] of DATA_DTO) {
    schemas[dto.name] = { ...schemaOfDto(dto), description: `\`data\` of a ${type} event` };
    dataRefs.push({ $ref: `${SCHEMA_REF_PREFIX}${dto.name}` });
  }
  const envelope = schemaOfDto(WireEventDto);
  schemas.WireEvent = {
    ...envelope,
    description: 'An event on the wire (HTTP body, Kafka message value, NDJSON line). `eventId` is the idempotency key (generated when absent).',
    properties: { ...envelope.properties, data: { anyOf: dataRefs, description: 'What happened; its fields depend on `type`' } },
  };
  return { $ref: `${SCHEMA_REF_PREFIX}WireEvent` };
}

const SEGMENT_MESSAGE: SchemaObject = {
  type: 'object',
  description:
    'A Segment message (track, identify, page, screen, alias, group), as Segment libraries send it; the body may be gzipped (content-encoding: gzip)',
  required: ['type'],
  properties: {
    type: { type: 'string', enum: ['track', 'identify', 'page', 'screen', 'alias', 'group'] },
    userId: { type: 'string' },
    anonymousId: { type: 'string' },
    messageId: { type: 'string', description: 'The idempotency key' },
    event: { type: 'string' },
    properties: { type: 'object' },
    traits: { type: 'object' },
    timestamp: { type: 'string', format: 'date-time' },
  },
};
const TRACK = {
  type: 'track',
  userId: 'c-1042',
  event: 'Product Viewed',
  messageId: 'm-5c1e',
  timestamp: '2026-11-20T02:00:00Z',
  properties: { stage: 'evaluation', channel: 'web' },
};
const segment = (body: object): RequestExample => ({ body, schema: SEGMENT_MESSAGE, answer: '`{"success": true}`' });

export const REQUEST_EXAMPLES: Record<string, RequestExample> = {
  'POST /api/v1/keys': { body: { name: 'crm sync', scopes: ['ingest'] }, answer: 'The key, shown this once, with its id and scopes' },
  'POST /api/v1/session': { body: { key: 'jlk_0123456789abcdef_…' }, answer: 'The session (an HttpOnly cookie is set)' },
  'GET /api/v1/audit': { query: { limit: 50 } },
  'POST /api/v1/events': {
    body: VISIT,
    schema: wireEventSchema,
    answer: 'Where it was stored: `position`, and `duplicate` when its eventId was stored before',
  },
  'POST /api/v1/events/batch': {
    body: { events: [VISIT, FEEDBACK] },
    schema: (document) => ({
      type: 'object',
      required: ['events'],
      properties: { events: { type: 'array', minItems: 1, maxItems: 1000, items: wireEventSchema(document) } },
    }),
    answer: '`positions`, each event’s outcome, and how many were stored or duplicates; nothing is stored unless every event is valid',
  },
  'GET /api/v1/customers': { query: { q: 'nguyen', stage: 'use', sort: '-lastSeen', limit: 100 } },
  'GET /api/v1/customers/:id/events': { path: { id: 'c-1042' }, query: { limit: 100 } },
  'GET /api/v1/customers/:id/journey': { path: { id: 'c-1042' }, query: { asOf: '2026-11-30T00:00:00+07:00' } },
  'POST /api/v1/customers/merge': { body: { from: 'anon-8f2d', into: 'c-1042' } },
  'POST /api/v1/customers/unmerge': { body: { from: 'anon-8f2d', into: 'c-1042' } },
  'GET /api/v1/metrics/explain': { query: { metric: 'nps', touchpoint: 'hotline', ...WINDOW } },
  'GET /api/v1/metrics': { query: { metric: 'nps', by: 'touchpoint', ...WINDOW } },
  'GET /api/v1/metrics/series': { query: { metric: 'nps', by: 'touchpoint', key: 'hotline', step: 7, ...WINDOW } },
  'GET /api/v1/metrics/distribution': { query: { metric: 'csat', by: 'touchpoint', key: 'hotline', ...WINDOW } },
  'GET /api/v1/touchpoints/worst': { query: { metric: 'nps', limit: 10, ...WINDOW } },
  'GET /api/v1/touchpoints/by-stage': { query: { metric: 'csat', ...WINDOW } },
  'GET /api/v1/touchpoints/:touchpoint/comments': { path: { touchpoint: 'hotline' }, query: { limit: 20, ...WINDOW } },
  'GET /api/v1/touchpoints/attention': { query: WINDOW },
  'PUT /api/v1/definitions/metrics': {
    body: { csat: { satisfiedMin: { '1-5': 5 } }, nps: { promoterMin: 9, detractorMax: 6 }, minSample: 30 },
    bodyDescription: 'any of the metric parameters; the rest keep their value in the version in force',
    schema: {
      type: 'object',
      properties: {
        nps: {
          type: 'object',
          properties: { promoterMin: { type: 'integer', minimum: 1, maximum: 10 }, detractorMax: { type: 'integer', minimum: 0, maximum: 9 } },
        },
        csat: { type: 'object', properties: { satisfiedMin: { type: 'object', additionalProperties: { type: 'integer' } } } },
        ces: {
          type: 'object',
          properties: {
            easyMin: { type: 'object', additionalProperties: { type: 'integer' } },
            hardMax: { type: 'object', additionalProperties: { type: 'integer' } },
          },
        },
        minSample: { type: 'integer', minimum: 1, maximum: 1000000 },
        timeZone: { type: 'string' },
      },
    },
    answer: 'the version in force after the request, with its parameters and `changed`',
  },
  'PUT /api/v1/definitions/churn-rules': {
    body: { rules: [{ id: 'ticket-open-too-long', kind: 'ticket-open-too-long', hours: 24 }] },
    bodyDescription: 'the rules in force from now on, as a JOURNEYLINE_CHURN_RULES file holds them',
    schema: {
      type: 'object',
      properties: {
        rules: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'kind'],
            properties: {
              id: { type: 'string' },
              kind: { type: 'string', enum: ['detractor-without-use', 'repeated-hard-effort', 'ticket-open-too-long', 'inactive-after-purchase'] },
              days: { type: 'integer', minimum: 1 },
              count: { type: 'integer', minimum: 1 },
              hours: { type: 'integer', minimum: 1 },
              severity: { type: 'number' },
              labels: { type: 'object', properties: { en: { type: 'string' }, vi: { type: 'string' } } },
            },
          },
        },
      },
    },
    answer: 'the version in force after the request, with its rules and `changed`; the churn-risk flags are re-evaluated under it',
  },
  'PUT /api/v1/touchpoints/:touchpoint': {
    path: { touchpoint: 'hotline' },
    body: { names: { vi: 'Tổng đài chăm sóc', en: 'Care hotline' }, channel: 'phone', stage: 'use', owner: 'cskh', experienceType: 'feel' },
    schema: {
      type: 'object',
      properties: {
        names: { type: 'object', properties: { vi: { type: 'string' }, en: { type: 'string' } } },
        channel: { type: 'string' },
        stage: { type: 'string', enum: ['awareness', 'evaluation', 'choice', 'purchase', 'use', 'advocacy'] },
        owner: { type: 'string' },
        experienceType: { type: 'string', enum: ['sense', 'feel', 'think', 'act', 'relate'] },
      },
    },
    answer: 'The definition with its `version` (the same body again is not a change)',
  },
  'GET /api/v1/funnel': { query: { split: 'acquisitionChannel', ...WINDOW } },
  'GET /api/v1/retention': { query: { period: '2026-Q4' } },
  'GET /api/v1/retention/cohorts': { query: { period: '2026' } },
  'GET /api/v1/churn-risks': { query: { sort: '-priority', lang: 'vi', limit: 100 } },
  'GET /api/v1/follow-ups': { query: { status: 'open', touchpoint: 'hotline', limit: 100 } },
  'GET /api/v1/follow-ups/stats': { query: WINDOW },
  'PATCH /api/v1/follow-ups/:id': {
    body: { assignee: 'Lan (CX team)', note: 'Called back, waiting for the replacement' },
    schema: {
      type: 'object',
      description: 'Any of assignee, note and resolve',
      properties: {
        assignee: { type: 'string', maxLength: 200 },
        note: { type: 'string', maxLength: 4000 },
        resolve: { type: 'object', required: ['outcome'], properties: { outcome: { type: 'string', maxLength: 4000 } } },
      },
    },
  },
  'POST /api/v1/import': {
    query: { format: 'csv', delimiter: ';', dateFormat: 'dd/MM/yyyy HH:mm' },
    contentType: 'text/csv',
    body: 'type;customerId;occurredAt;touchpoint;channel;stage\ntouchpoint.visited;c-1042;20/11/2026 09:00;web:pricing;web;evaluation\n',
    schema: { type: 'string' },
    bodyDescription: 'The file itself: CSV (text/csv), NDJSON (application/x-ndjson) or .xlsx; rows that cannot be stored are listed with the reason',
  },
  'GET /api/v1/export': { query: { kind: 'events', format: 'ndjson', ...WINDOW }, answer: 'The file, streamed (NDJSON or Excel-safe CSV)' },
  'POST /v1/batch': {
    ...segment({ batch: [TRACK, { type: 'identify', userId: 'c-1042', messageId: 'm-5c1f', traits: { segment: 'vip', region: 'HCM' } }] }),
    schema: { type: 'object', required: ['batch'], properties: { batch: { type: 'array', items: SEGMENT_MESSAGE } } },
  },
  'POST /v1/track': segment(TRACK),
  'POST /v1/identify': segment({ type: 'identify', userId: 'c-1042', messageId: 'm-5c20', traits: { segment: 'vip', region: 'HCM' } }),
  'POST /v1/page': segment({ type: 'page', userId: 'c-1042', name: 'Pricing', messageId: 'm-5c21', properties: { stage: 'evaluation' } }),
  'POST /v1/screen': segment({ type: 'screen', userId: 'c-1042', name: 'Cart', messageId: 'm-5c22', properties: { stage: 'choice' } }),
  'POST /v1/alias': segment({ type: 'alias', userId: 'c-1042', previousId: 'anon-8f2d', messageId: 'm-5c23' }),
  'POST /v1/group': segment({ type: 'group', userId: 'c-1042', groupId: 'acme', messageId: 'm-5c24', traits: { name: 'Acme' } }),
  'GET /api/v1/sources/segment/unmapped': { query: { limit: 100 } },
  'GET /api/v1/surveys/response-rates': { query: WINDOW },
  'POST /api/v1/surveys': {
    body: {
      surveyId: 'nps-hotline',
      metric: 'nps',
      touchpoint: 'hotline',
      channel: 'phone',
      stage: 'use',
      question: { vi: 'Bạn có sẵn lòng giới thiệu chúng tôi?', en: 'How likely are you to recommend us?' },
    },
    schema: {
      type: 'object',
      required: ['surveyId', 'metric', 'question'],
      properties: {
        surveyId: { type: 'string' },
        metric: { type: 'string', enum: ['nps', 'csat', 'ces', 'review'] },
        scale: { type: 'string' },
        touchpoint: { type: 'string' },
        channel: { type: 'string' },
        stage: { type: 'string' },
        question: { type: 'object', properties: { vi: { type: 'string' }, en: { type: 'string' } } },
      },
    },
    answer: 'The survey id and its version (a changed definition is the next version)',
  },
  'POST /api/v1/surveys/:surveyId/links': { path: { surveyId: 'nps-hotline' }, body: { customerId: 'c-1042' }, answer: 'The signed link and its token' },
  'POST /api/v1/surveys/:surveyId/answers': {
    path: { surveyId: 'nps-hotline' },
    body: { customerId: 'c-1042', score: 9, comment: 'Nhanh và tận tình', answerId: 'formbricks-81723' },
  },
  'GET /api/v1/surveys/:surveyId/response-rate': { path: { surveyId: 'nps-hotline' }, query: WINDOW },
  'POST /s/:token': {
    contentType: 'application/x-www-form-urlencoded',
    body: { score: 9, comment: 'Nhanh và tận tình' },
    schema: { type: 'object', properties: { score: { type: 'integer' }, comment: { type: 'string', maxLength: 5000 } } },
    bodyDescription: 'The survey page’s form',
    answer: 'A page thanking the customer',
  },
  'POST /api/v1/targets': { body: { metric: 'csat', touchpoint: 'hotline', min: 80 } },
  'GET /api/v1/alerts': { query: { status: 'open' } },
  'GET /api/v1/webhooks/deliveries': { query: { status: 'dead', limit: 50 } },
};
