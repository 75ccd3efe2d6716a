import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { elementParams } from '../plans/schemas.js';
import { cascadeNodeSchema, cascadeQuery } from './schemas.js';
import { cascadeService } from './service.js';

export async function cascadeRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = cascadeService(app.db);

  r.get('/v1/elements/:elementId/cascade', {
    schema: {
      tags: ['cascade'], operationId: 'getCascade', summary: 'The performance tree with numbers: an element and everything contributing to it',
      description: 'The element\'s indicators with target, realization, achievement and category for the year (the report\'s rules), and recursively every contributing element: elements of descendant agencies\' plans that support it and sources of accepted crosscutting links. Contributors outside your scope are left out. A fixed number of queries whatever the depth.',
      params: elementParams, querystring: cascadeQuery, response: { 200: cascadeNodeSchema },
    },
  }, async (req) => service.get(req.actor, req.params.elementId, req.query.year));
}
