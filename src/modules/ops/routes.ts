import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../http/problem.js';

const status = z.object({ status: z.string() });

/** Liveness, readiness and the OpenAPI document (unversioned, no token). */
export async function opsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { public: true };
  const tags = ['operations'];

  r.get('/healthz', {
    config,
    schema: {
      operationId: 'getHealth', description: 'Liveness: answers 200 as long as the process serves requests; it does not touch the database.',
      tags, summary: 'The process runs', security: [], response: { 200: status },
    },
  }, async () => ({ status: 'ok' }));

  r.get('/readyz', {
    config,
    schema: {
      operationId: 'getReadiness', description: 'Readiness: 200 when the database answers within 2 s, a 503 problem otherwise (take the instance out of the load balancer).',
      tags, summary: 'The database answers (503 while it does not)', security: [], response: { 200: status, 503: problemSchema },
    },
  }, async (req, reply) => {
    try {
      await app.database.ping(2_000);
      return { status: 'ready' };
    } catch (err) {
      req.log.warn({ err: (err as Error).message }, 'readiness check failed');
      return reply.code(503).type('application/problem+json').send({
        type: '/problems/unavailable', title: 'Service unavailable', status: 503, detail: 'The database does not answer',
      });
    }
  });

  r.get('/openapi.json', {
    config,
    schema: {
      operationId: 'getOpenApiDocument', description: 'This OpenAPI 3.1 document, generated from the route schemas; the same document is committed as openapi/openapi.json.',
      tags, summary: 'This OpenAPI 3.1 document', security: [], response: { 200: z.record(z.string(), z.unknown()) },
    },
  }, async () => app.swagger() as unknown as Record<string, unknown>);
}
