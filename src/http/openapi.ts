import type { FastifyInstance, RouteOptions } from 'fastify';
import fastifySwagger, { type SwaggerTransformObject } from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { honoursIdempotencyKey } from './idempotency.js';
import { MEDIA_DESCRIPTIONS } from './negotiation.js';
import type { Schema } from './openapi-examples.js';
import { PROBLEM_RESPONSES, polishDocument, type OpenApiDoc, type RouteDocInfo } from './openapi-polish.js';
import { problemSchema } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route also takes `text/csv` with this header line (documented as such). */
    csvHeader?: string;
    /** The route also takes `application/x-www-form-urlencoded` (the OAuth token endpoint). */
    formBody?: boolean;
  }
}

const described = (description: string) => problemSchema.describe(description);
const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** Adds the problem responses every route can give, so the document lists every error status. */
function addProblemResponses(route: RouteOptions) {
  const schema = route.schema;
  if (!schema || (schema as { hide?: boolean }).hide) return;
  const method = ([] as string[]).concat(route.method as string | string[]);
  const writes = method.some((m) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(m));
  const response: Record<string, unknown> = { ...(schema.response as object) };
  const add = (code: number) => { if (!(code in response)) response[code] = described(PROBLEM_RESPONSES[code].description); };
  const isPublic = route.config?.public;
  if (schema.body || schema.querystring || schema.params || writes) add(400);
  if (!isPublic) {
    add(401);
    add(403);
  }
  if (schema.params) add(404);
  if (writes && !isPublic) add(409);
  if (method.some((m) => ['PUT', 'PATCH', 'DELETE'].includes(m)) && schema.params) add(412);
  if (schema.body) {
    add(413);
    add(415);
  }
  if (honoursIdempotencyKey(route.method, route.config)) add(422);
  add(406);
  add(429);
  add(500);
  route.schema = { ...schema, response };
  if (!isPublic && !(schema as { security?: unknown }).security) (route.schema as { security?: unknown }).security = [{ oauth2: [] }];
}

/** Tags of the document, in this order; a route may only use a tag listed here (a test checks). */
export const TAGS: Array<{ name: string; description: string }> = [
  { name: 'auth', description: 'Tokens (OAuth 2.0 client credentials) and the JWKS' },
  { name: 'clients', description: 'API clients with roles and agency scope (admin)' },
  { name: 'agencies', description: 'Institutions and their units (instansi, OPD)' },
  { name: 'plans', description: 'RPJMN, RPJMD and Renstra plans and the performance tree (pohon kinerja)' },
  { name: 'indicators', description: 'Performance indicators (IKU) and their analyses' },
  { name: 'targets', description: 'Targets per period, single and in bulk' },
  { name: 'agreements', description: 'Perjanjian Kinerja: versioned, signed' },
  { name: 'action-plans', description: 'Rencana Aksi: quarterly targets and activities per indicator, submitted and reviewed' },
  { name: 'analyses', description: 'Analyses of achievement per indicator and year: causes, supporting and inhibiting factors, solutions' },
  { name: 'crosscutting', description: 'Crosscutting contributions between agencies and the performance cascade' },
  { name: 'cascade', description: 'The performance cascade of an element: its indicators and the contributions below it' },
  { name: 'budgets', description: 'Pagu and realisasi anggaran per element' },
  { name: 'measurements', description: 'Realisasi: single, batch (JSON/CSV), history, verification' },
  { name: 'locks', description: 'Period locks' },
  { name: 'schedules', description: 'Due dates of measurements and reports per year' },
  { name: 'reports', description: 'LKjIP: computed, exported, submitted as signed snapshots; completeness and ranking' },
  { name: 'public', description: 'Submitted reports for the public, without a token' },
  { name: 'evaluations', description: 'AKIP evaluation frameworks, self-assessments and score sheets' },
  { name: 'recommendations', description: 'Recommendations and their follow-up (tindak lanjut)' },
  { name: 'changes', description: 'Every write as an event feed, and webhooks that push them (for SIMs)' },
  { name: 'webhooks', description: 'Subscriptions that receive events, signed (Standard Webhooks)' },
  { name: 'audit', description: 'The append-only audit trail' },
  { name: 'operations', description: 'Health, readiness, metrics, this document' },
];

export const openapiPlugin = fp(async (app: FastifyInstance) => {
  const routes = new Map<string, RouteDocInfo>();
  const produces = new Map<string, readonly string[]>();
  app.addHook('onRoute', (route) => {
    addProblemResponses(route);
    const types = route.config?.produces;
    if (types && types.some((t) => t !== 'application/json') && route.method === 'GET') produces.set(toOpenApiPath(route.url), types);
    const writes = ([] as string[]).concat(route.method as string | string[]);
    for (const method of writes) {
      routes.set(`${method} ${toOpenApiPath(route.url)}`, {
        csvHeader: route.config?.csvHeader,
        formBody: route.config?.formBody,
        idempotent: Boolean(route.schema && honoursIdempotencyKey(method, route.config)),
        ifMatch: ['PUT', 'PATCH', 'DELETE'].includes(method) && Boolean(route.schema?.params) && !route.config?.public,
      });
    }
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'SAKIP API',
        version: '1.0.0',
        description: 'Performance accountability of Indonesian government institutions (SAKIP): plans, indicators, '
          + 'measurements, LKjIP reports and AKIP evaluations. Get a token from `POST /v1/auth/token` with your client id '
          + 'and secret (OAuth 2.0 client credentials) and send it as `Authorization: Bearer <token>`. Errors are RFC 9457 '
          + 'problems (`application/problem+json`).',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: '/', description: 'This service' }],
      components: {
        securitySchemes: {
          oauth2: {
            type: 'oauth2',
            description: 'OAuth 2.0 client credentials: the client id and secret of an API client (form, JSON or HTTP Basic), answered with a bearer JWT',
            flows: { clientCredentials: { tokenUrl: '/v1/auth/token', scopes: {} } },
          },
        },
      },
      tags: TAGS,
    },
    transform: jsonSchemaTransform,
    transformObject: (input) => {
      const doc = jsonSchemaTransformObject(input) as OpenApiDoc;
      // Answers in other media types (config.produces): listed beside the JSON of the 200 response.
      for (const [path, types] of produces) {
        const ok = doc.paths?.[path]?.get?.responses?.['200'];
        // A route that declares its own media types (metrics) documents exactly those.
        if (!ok || Object.keys(ok.content ?? {}).some((t) => t !== 'application/json')) continue;
        ok.content ??= {};
        for (const t of types) if (!ok.content[t]) ok.content[t] = { schema: MEDIA_DESCRIPTIONS[t] ?? { type: 'string' } };
      }
      const polished = polishDocument(doc, routes);
      // Components in name order: the order schemas register in depends on module load order,
      // which differs between runners, and the committed document must not.
      for (const kind of ['schemas', 'responses'] as const) {
        const map = polished.components?.[kind];
        // (Cast: the key is either kind, so the assignment must suit both maps' value types.)
        if (map) polished.components![kind] = Object.fromEntries(Object.entries(map).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) as Record<string, Schema>;
      }
      // Our document type names only the parts polished above; it is the generated document, in place.
      return polished as ReturnType<SwaggerTransformObject>;
    },
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', validatorUrl: null, persistAuthorization: true },
  });
}, { name: 'openapi' });
