import type { FastifyInstance, RouteOptions } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { honoursIdempotencyKey } from './idempotency.js';
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
  if (!schema || (schema as any).hide) return;
  const method = ([] as string[]).concat(route.method as string | string[]);
  const writes = method.some((m) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(m));
  const response: Record<string, unknown> = { ...(schema.response as object) };
  const add = (code: number, text: string) => { if (!(code in response)) response[code] = described(text); };
  const isPublic = route.config?.public;
  if (schema.body || schema.querystring || schema.params || writes) add(400, 'Invalid input (`/problems/validation`)');
  if (!isPublic) {
    add(401, 'Missing or invalid token (`/problems/unauthorized`)');
    add(403, 'Your role may not do this (`/problems/forbidden`)');
  }
  if (schema.params) add(404, 'Not found, or outside your scope (`/problems/not-found`)');
  if (writes && !isPublic) add(409, 'Conflicts with the current state, or the period is locked (`/problems/conflict`, `/problems/period-locked`)');
  if (method.some((m) => ['PUT', 'PATCH', 'DELETE'].includes(m)) && schema.params) add(412, 'If-Match does not match the current ETag (`/problems/precondition-failed`)');
  if (schema.body) {
    add(413, 'Body too large (`/problems/payload-too-large`)');
    add(415, 'Unsupported Content-Type (`/problems/unsupported-media-type`)');
  }
  if (honoursIdempotencyKey(route.method, route.config)) add(422, 'Idempotency-Key reused with another body (`/problems/idempotency-key-reuse`)');
  add(429, 'Rate limit exceeded (`/problems/rate-limited`)');
  add(500, 'Unexpected error, without internals (`/problems/internal`)');
  route.schema = { ...schema, response };
  if (!isPublic && !(schema as any).security) (route.schema as any).security = [{ bearerAuth: [] }];
}

export const openapiPlugin = fp(async (app: FastifyInstance) => {
  const csvBodies = new Map<string, string>();
  const formBodies = new Set<string>();
  app.addHook('onRoute', (route) => {
    addProblemResponses(route);
    if (route.config?.csvHeader) csvBodies.set(toOpenApiPath(route.url), route.config.csvHeader);
    if (route.config?.formBody) formBodies.add(toOpenApiPath(route.url));
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'SAKIP API',
        version: '1.0.0',
        description: 'Performance accountability of Indonesian government institutions (SAKIP): plans, indicators, measurements, LKjIP reports and AKIP evaluations.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'From POST /v1/auth/token' },
        },
      },
      tags: [
        { name: 'auth', description: 'Tokens (OAuth 2.0 client credentials) and the JWKS' },
        { name: 'clients', description: 'API clients with roles and agency scope (admin)' },
        { name: 'agencies', description: 'Institutions and their units (instansi, OPD)' },
        { name: 'plans', description: 'RPJMD/Renstra and the performance tree (pohon kinerja)' },
        { name: 'indicators', description: 'Performance indicators (IKU)' },
        { name: 'targets', description: 'Targets per period, single and in bulk' },
        { name: 'agreements', description: 'Perjanjian Kinerja: versioned, signed' },
        { name: 'action-plans', description: 'Rencana Aksi: quarterly plans of the agreement, reviewed by a verifier' },
        { name: 'analyses', description: 'Analisis capaian per indicator and year' },
        { name: 'crosscutting', description: 'Lintas sektor: contributions between agencies, proposed and decided' },
        { name: 'cascade', description: 'The performance tree with numbers, across agencies' },
        { name: 'budgets', description: 'Pagu and realisasi anggaran per element' },
        { name: 'measurements', description: 'Realisasi: single, batch (JSON/CSV), history, verification' },
        { name: 'locks', description: 'Period locks' },
        { name: 'reports', description: 'LKjIP: computed, exported, submitted as signed snapshots' },
        { name: 'evaluations', description: 'AKIP evaluation frameworks and score sheets' },
        { name: 'recommendations', description: 'Recommendations and their follow-up (tindak lanjut)' },
        { name: 'audit', description: 'The append-only audit trail' },
        { name: 'operations', description: 'Health, readiness, metrics, this document' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: (input) => {
      const doc = jsonSchemaTransformObject(input) as any;
      // zod describes JSON bodies only; add the CSV alternative of the batch imports.
      for (const [path, header] of csvBodies) {
        const body = doc.paths?.[path]?.post?.requestBody;
        if (body) {
          body.content['text/csv'] = {
            schema: { type: 'string', description: `UTF-8 CSV (a BOM and CRLF are fine) whose first line is the header \`${header}\`` },
          };
        }
      }
      for (const path of formBodies) {
        const body = doc.paths?.[path]?.post?.requestBody;
        if (body?.content?.['application/json']) body.content['application/x-www-form-urlencoded'] = body.content['application/json'];
      }
      return doc;
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
}, { name: 'openapi' });
