import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ROLES_WRITE_PLANNING, type Role } from '../../http/access.js';
import { ifMatchOf, withEtag } from '../../http/etag.js';
import { pageSchema } from '../../http/pagination.js';
import {
  actionPlanParams, actionPlanSchema, actionPlanVersionsQuery, putActionPlanBody, reviewActionPlanBody,
} from './schemas.js';
import { actionPlanService } from './service.js';

/** Verifiers: a higher agency's operator, an evaluator or an admin (the service refuses the agency's own clients). */
const ROLES_REVIEW: Role[] = ['admin', 'operator', 'evaluator'];

/** Rencana Aksi: the quarterly plan of how the agreement's targets are reached. */
export async function actionPlanRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = actionPlanService(app.db);
  const tags = ['action-plans'];
  const base = '/v1/agencies/:agencyId/action-plans/:year';

  r.put(base, {
    config: { roles: ROLES_WRITE_PLANNING },
    schema: {
      tags, operationId: 'putActionPlan', summary: 'Create or replace the current draft of the action plan (Rencana Aksi); honours If-Match',
      description: 'Replaces the draft version; after an approved or returned version a new draft version starts (201). 409 while a version is submitted and not reviewed; period-locked when the year is locked. Items name indicators of the agency whose plan covers the year.',
      params: actionPlanParams, body: putActionPlanBody,
      response: { 200: actionPlanSchema.describe('The draft was replaced'), 201: actionPlanSchema.describe('A new draft version') },
    },
  }, async (req, reply) => {
    const { dto, created } = await service.put(req.actor, ifMatchOf(req), req.params, req.body.items);
    reply.code(created ? 201 : 200);
    return withEtag(reply, dto);
  });

  r.post(`${base}/submit`, {
    config: { roles: ROLES_WRITE_PLANNING },
    schema: {
      tags, operationId: 'submitActionPlan', summary: 'Submit the draft for review',
      description: 'Every deviating item (quarters that do not reach the annual target) needs a deviationReason: 400 naming items.N.deviationReason otherwise. 409 unless the current version is a draft.',
      params: actionPlanParams, response: { 200: actionPlanSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.submit(req.actor, req.params)));

  r.post(`${base}/review`, {
    config: { roles: ROLES_REVIEW },
    schema: {
      tags, operationId: 'reviewActionPlan', summary: 'Approve or return the submitted action plan',
      description: 'By a verifier: an operator of a strict ancestor agency, an evaluator or an admin; any client scoped to the agency itself is 403. A comment is required to return. The approved version\'s quarter targets become the report\'s quarter targets.',
      params: actionPlanParams, body: reviewActionPlanBody, response: { 200: actionPlanSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.review(req.actor, req.params, req.body.decision, req.body.comment)));

  r.get(base, {
    schema: {
      tags, operationId: 'getActionPlan', summary: 'The current (latest) version of the action plan',
      description: 'Each item carries deviation: {implied, annualTarget, annualTargetRange} where its quarters miss the annual target, else null.',
      params: actionPlanParams, response: { 200: actionPlanSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.current(req.actor, req.params)));

  r.get(`${base}/versions`, {
    schema: {
      tags, operationId: 'listActionPlanVersions', summary: 'Every version of the action plan, oldest first',
      description: 'Paged by version.', params: actionPlanParams, querystring: actionPlanVersionsQuery, response: { 200: pageSchema(actionPlanSchema) },
    },
  }, async (req) => service.versions(req.actor, req.params, req.query));
}
