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
    schema: {
      operationId: 'createPlan', description: 'Creates a strategic plan of an agency for a span of years; the plan holds the performance tree of goals down to sub-activities.',
      tags, summary: 'Create a plan (RPJMD or Renstra) of an agency', params: agencyParams, body: createPlanBody, response: { 201: planSchema },
    },
  }, async (req, reply) => {
    const dto = await plans.create(req.actor, req.params.agencyId, req.body);
    reply.code(201).header('location', `/v1/plans/${dto.id}`);
    return withEtag(reply, dto);
  });

  r.get('/v1/agencies/:agencyId/plans', {
    schema: {
      operationId: 'listPlans', description: 'The plans of an agency, optionally filtered by kind or by a year they cover.',
      tags, summary: 'The plans of an agency', params: agencyParams, querystring: listPlansQuery, response: { 200: pageSchema(planSchema) },
    },
  }, async (req) => plans.list(req.actor, req.params.agencyId, req.query));

  r.get('/v1/plans/:planId', {
    schema: {
      operationId: 'getPlan', description: 'One plan with its kind and years.',
      tags, summary: 'One plan', params: planParams, response: { 200: planSchema },
    },
  }, async (req, reply) => withEtag(reply, await plans.get(req.actor, req.params.planId)));

  r.patch('/v1/plans/:planId', {
    config: write,
    schema: {
      operationId: 'updatePlan', description: 'Changes the title or years of a plan; the years cannot shrink past targets, measurements or budgets already recorded.',
      tags, summary: 'Change a plan (honours If-Match); years cannot shrink past existing targets, measurements or budgets',
      params: planParams, body: patchPlanBody, response: { 200: planSchema },
    },
  }, async (req, reply) => withEtag(reply, await plans.update(req.actor, ifMatchOf(req), req.params.planId, req.body)));

  r.get('/v1/plans/:planId/tree', {
    schema: {
      operationId: 'getPlanTree', description: 'The whole performance tree (pohon kinerja) of a plan, nested by parent, with each element\'s indicators.',
      tags, summary: 'The nested tree of a plan with each element\'s indicators', params: planParams, response: { 200: planTreeSchema },
    },
  }, async (req) => planTree(app.db, req.actor, req.params.planId));

  r.post('/v1/plans/:planId/elements', {
    config: write,
    schema: {
      operationId: 'createElement', description: 'Adds a goal, objective, program, activity or sub-activity to a plan, under a parent of the level above.',
      tags, summary: 'Add an element (goal, objective, program, activity, sub_activity) to a plan',
      params: planParams, body: createElementBody, response: { 201: elementSchema },
    },
  }, async (req, reply) => {
    const dto = await els.create(req.actor, req.params.planId, req.body);
    reply.code(201).header('location', `/v1/elements/${dto.id}`);
    return withEtag(reply, dto);
  });

  r.get('/v1/elements/:elementId', {
    schema: {
      operationId: 'getElement', description: 'One element of a performance tree.',
      tags, summary: 'One element', params: elementParams, response: { 200: elementSchema },
    },
  }, async (req, reply) => withEtag(reply, await els.get(req.actor, req.params.elementId)));

  r.patch('/v1/elements/:elementId', {
    config: write,
    schema: {
      operationId: 'updateElement', description: 'Changes the code, title or supported elements of an element.',
      tags, summary: 'Change an element (honours If-Match)', params: elementParams, body: patchElementBody, response: { 200: elementSchema },
    },
  }, async (req, reply) => withEtag(reply, await els.update(req.actor, ifMatchOf(req), req.params.elementId, req.body)));

  r.delete('/v1/elements/:elementId', {
    config: write,
    schema: {
      operationId: 'deleteElement', description: 'Deletes an element with its descendants and their indicators; refused with 409 when a measurement hangs below it.',
      tags, summary: 'Delete an element with everything below it (409 where measurements hang below)',
      params: elementParams, response: { 204: z.null().describe('Deleted') },
    },
  }, async (req, reply) => {
    await els.remove(req.actor, ifMatchOf(req), req.params.elementId);
    return reply.code(204).send(null);
  });
}
