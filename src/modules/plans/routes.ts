import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES_WRITE_PLANNING } from '../../http/access.js';
import { ifMatchOf, withEtag } from '../../http/etag.js';
import { pageSchema } from '../../http/pagination.js';
import { elementService } from './elements.js';
import {
  agencyParams, createElementBody, createPlanBody, elementParams, elementSchema, listPlansQuery, patchElementBody,
  patchPlanBody, planParams, planSchema,
} from './schemas.js';
import { planService } from './service.js';
import { planTree, planTreeSchema } from './tree.js';

/** Plans (RPJMD, Renstra) and their performance tree (pohon kinerja). */
export async function planRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const plans = planService(app.db);
  const els = elementService(app.db);
  const write = { roles: ROLES_WRITE_PLANNING };
  const tags = ['plans'];

  r.post('/v1/agencies/:agencyId/plans', {
    config: write,
    schema: { tags, summary: 'Create a plan (RPJMD or Renstra) of an agency', params: agencyParams, body: createPlanBody, response: { 201: planSchema } },
  }, async (req, reply) => {
    const dto = await plans.create(req.actor, req.params.agencyId, req.body);
    reply.code(201).header('location', `/v1/plans/${dto.id}`);
    return withEtag(reply, dto);
  });

  r.get('/v1/agencies/:agencyId/plans', {
    schema: { tags, summary: 'The plans of an agency', params: agencyParams, querystring: listPlansQuery, response: { 200: pageSchema(planSchema) } },
  }, async (req) => plans.list(req.actor, req.params.agencyId, req.query));

  r.get('/v1/plans/:planId', {
    schema: { tags, summary: 'One plan', params: planParams, response: { 200: planSchema } },
  }, async (req, reply) => withEtag(reply, await plans.get(req.actor, req.params.planId)));

  r.patch('/v1/plans/:planId', {
    config: write,
    schema: {
      tags, summary: 'Change a plan (honours If-Match); years cannot shrink past existing targets, measurements or budgets',
      params: planParams, body: patchPlanBody, response: { 200: planSchema },
    },
  }, async (req, reply) => withEtag(reply, await plans.update(req.actor, ifMatchOf(req), req.params.planId, req.body)));

  r.get('/v1/plans/:planId/tree', {
    schema: { tags, summary: 'The nested tree of a plan with each element\'s indicators', params: planParams, response: { 200: planTreeSchema } },
  }, async (req) => planTree(app.db, req.actor, req.params.planId));

  r.post('/v1/plans/:planId/elements', {
    config: write,
    schema: {
      tags, summary: 'Add an element (goal, objective, program, activity, sub_activity) to a plan',
      params: planParams, body: createElementBody, response: { 201: elementSchema },
    },
  }, async (req, reply) => {
    const dto = await els.create(req.actor, req.params.planId, req.body);
    reply.code(201).header('location', `/v1/elements/${dto.id}`);
    return withEtag(reply, dto);
  });

  r.get('/v1/elements/:elementId', {
    schema: { tags, summary: 'One element', params: elementParams, response: { 200: elementSchema } },
  }, async (req, reply) => withEtag(reply, await els.get(req.actor, req.params.elementId)));

  r.patch('/v1/elements/:elementId', {
    config: write,
    schema: { tags, summary: 'Change an element (honours If-Match)', params: elementParams, body: patchElementBody, response: { 200: elementSchema } },
  }, async (req, reply) => withEtag(reply, await els.update(req.actor, ifMatchOf(req), req.params.elementId, req.body)));

  r.delete('/v1/elements/:elementId', {
    config: write,
    schema: {
      tags, summary: 'Delete an element with everything below it (409 where measurements hang below)',
      params: elementParams, response: { 204: z.null().describe('Deleted') },
    },
  }, async (req, reply) => {
    await els.remove(req.actor, ifMatchOf(req), req.params.elementId);
    return reply.code(204).send(null);
  });
}
