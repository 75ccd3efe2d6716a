import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES_EVALUATE, ROLES_WRITE_PLANNING, type Role } from '../../http/access.js';
import { RECOMMENDATION_STATUSES } from '../../db/schema/index.js';
import { withEtag } from '../../http/etag.js';
import { pageQuery, pageSchema } from '../../http/pagination.js';
import { problemSchema } from '../../http/problem.js';
import { recommendationService } from './service.js';
import {
  agencyParams, createFollowUpBody, createRecommendationBody, evaluationParams, followUpSchema, followUpSummarySchema,
  listRecommendationsQuery, recommendationParams, recommendationSchema, statusBody, statusChangeSchema, summaryQuery,
} from './schemas.js';

/** Either side of the status machine; which move each side may make is checked by the service. */
const ROLES_STATUS: Role[] = ['admin', 'operator', 'evaluator'];

/** Recommendations (rekomendasi) of evaluations and the agencies' follow-up (tindak lanjut). */
export async function recommendationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = recommendationService(app.db);
  const tags = ['recommendations'];

  r.post('/v1/evaluations/:evaluationId/recommendations', {
    config: { roles: ROLES_EVALUATE },
    schema: {
      operationId: 'createRecommendation', description: 'Adds a recommendation to an evaluation, addressed to the evaluated agency, with an optional due date.',
      tags, summary: 'Add a recommendation to an evaluation', params: evaluationParams, body: createRecommendationBody, response: { 201: recommendationSchema },
    },
  }, async (req, reply) => {
    const dto = await service.create(req.actor, req.params.evaluationId, req.body);
    reply.code(201).header('location', `/v1/recommendations/${dto.id}`);
    return withEtag(reply, dto);
  });

  r.get('/v1/agencies/:agencyId/recommendations', {
    schema: {
      operationId: 'listRecommendations', description: 'The recommendations addressed to an agency, filtered by year or status.',
      tags, summary: 'Recommendations to an agency', params: agencyParams, querystring: listRecommendationsQuery, response: { 200: pageSchema(recommendationSchema) },
    },
  }, async (req) => service.list(req.actor, req.params.agencyId, req.query));

  r.get('/v1/recommendations/:recommendationId', {
    schema: {
      operationId: 'getRecommendation', description: 'One recommendation with its status.',
      tags, summary: 'One recommendation', params: recommendationParams, response: { 200: recommendationSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.get(req.actor, req.params.recommendationId)));

  r.post('/v1/recommendations/:recommendationId/follow-ups', {
    config: { roles: ROLES_WRITE_PLANNING },
    schema: {
      operationId: 'createFollowUp',
      tags, summary: 'Record a follow-up action (agency: operator or admin)',
      description: 'The first follow-up on an `open` recommendation moves it to `in_progress` (recorded and audited). A `completed` or `verified` recommendation takes no follow-up (409) until an evaluator sends it back.',
      params: recommendationParams, body: createFollowUpBody,
      response: { 201: followUpSchema.extend({ recommendation: recommendationSchema.describe('The recommendation after the follow-up') }) },
    },
  }, async (req, reply) => {
    const dto = await service.addFollowUp(req.actor, req.params.recommendationId, req.body);
    return reply.code(201).send(dto);
  });

  r.get('/v1/recommendations/:recommendationId/follow-ups', {
    schema: {
      operationId: 'listFollowUps', description: 'The follow-up actions (tindak lanjut) recorded for a recommendation, oldest first.',
      tags, summary: 'Follow-ups of a recommendation, oldest first', params: recommendationParams, querystring: pageQuery, response: { 200: pageSchema(followUpSchema) },
    },
  }, async (req) => service.listFollowUps(req.actor, req.params.recommendationId, req.query));

  r.post('/v1/recommendations/:recommendationId/status', {
    config: { roles: ROLES_STATUS },
    schema: {
      operationId: 'changeRecommendationStatus',
      tags, summary: 'Move a recommendation through its status machine',
      description: 'open -> in_progress -> completed by the agency (operator, admin); completed -> verified, or back to in_progress, by the evaluator (evaluator, admin). Any other move is 409 with `allowed` listing the moves from the current status; a legal move by the wrong side is 403.',
      params: recommendationParams, body: statusBody,
      response: {
        200: recommendationSchema,
        409: problemSchema.extend({
          currentStatus: z.enum(RECOMMENDATION_STATUSES),
          allowed: z.array(z.enum(RECOMMENDATION_STATUSES)).describe('The statuses reachable from the current one'),
        }).describe('Not a legal move from the current status (`/problems/conflict`)'),
      },
    },
  }, async (req, reply) => withEtag(reply, await service.changeStatus(req.actor, req.params.recommendationId, req.body)));

  r.get('/v1/recommendations/:recommendationId/status-changes', {
    schema: {
      operationId: 'listRecommendationStatusChanges', description: 'Every status change of a recommendation with its actor and reason, oldest first.',
      tags, summary: 'Every status change of a recommendation, oldest first', params: recommendationParams, response: { 200: z.object({ data: z.array(statusChangeSchema) }) },
    },
  }, async (req) => service.statusChanges(req.actor, req.params.recommendationId));

  r.get('/v1/agencies/:agencyId/follow-up-summary', {
    schema: {
      operationId: 'getFollowUpSummary',
      tags, summary: 'Follow-up of an agency-year: counts by status, rate and overdue',
      description: 'rate = verified / total × 100, rounded half up to 2 decimals; 0 when the agency has no recommendation that year.',
      params: agencyParams, querystring: summaryQuery, response: { 200: followUpSummarySchema },
    },
  }, async (req, reply) => withEtag(reply, await service.summary(req.actor, req.params.agencyId, req.query.year)));
}
