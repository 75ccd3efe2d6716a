import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES_WRITE_PLANNING } from '../../http/access.js';
import { ifMatchOf, withEtag } from '../../http/etag.js';
import { pageQuery, pageSchema } from '../../http/pagination.js';
import { elementParams, nonNegativeDecimal, yearParam } from '../plans/schemas.js';
import { budgetSchema, budgetService } from './service.js';

export async function budgetRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = budgetService(app.db);
  const tags = ['budgets'];
  const yearParams = elementParams.extend({ year: yearParam });

  r.put('/v1/elements/:elementId/budgets/:year', {
    config: { roles: ROLES_WRITE_PLANNING },
    schema: {
      tags, operationId: 'putBudget', summary: 'Set the budget (pagu) and its realisation of an element for a year; honours If-Match',
      description: 'The year must be inside the plan\'s years; period-locked when the year is locked.',
      params: yearParams,
      body: z.object({ allocated: nonNegativeDecimal, realized: nonNegativeDecimal }).strict(),
      response: { 200: budgetSchema, 201: budgetSchema },
    },
  }, async (req, reply) => {
    const { dto, created } = await service.put(req.actor, ifMatchOf(req), req.params.elementId, req.params.year, req.body);
    reply.code(created ? 201 : 200);
    return withEtag(reply, dto);
  });

  r.get('/v1/elements/:elementId/budgets', {
    schema: {
      tags, operationId: 'listBudgets', summary: 'The budgets of an element, by year', description: 'Paged by year.',
      params: elementParams, querystring: pageQuery, response: { 200: pageSchema(budgetSchema) },
    },
  }, async (req) => service.list(req.actor, req.params.elementId, req.query));

  r.get('/v1/elements/:elementId/budgets/:year', {
    schema: {
      tags, operationId: 'getBudget', summary: 'The budget of one year, with its ETag (404 when none is set)', description: 'Read it before an If-Match write.',
      params: yearParams, response: { 200: budgetSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.get(req.actor, req.params.elementId, req.params.year)));
}
