import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ROLES_EVALUATE } from '../../http/access.js';
import { withEtag } from '../../http/etag.js';
import { pageSchema } from '../../http/pagination.js';
import { evaluationService } from './service.js';
import {
  agencyParams, answersBody, createEvaluationBody, evaluationParams, evaluationSchema, listEvaluationsQuery,
} from './schemas.js';

/** AKIP evaluations (LKE): evaluators and admins write, everyone in scope reads. */
export async function evaluationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = evaluationService(app.db);
  const tags = ['evaluations'];

  r.post('/v1/agencies/:agencyId/evaluations', {
    config: { roles: ROLES_EVALUATE },
    schema: {
      operationId: 'createEvaluation', description: 'Starts the AKIP evaluation of an agency for a year with a framework; one per agency, year and framework.',
      tags, summary: 'Start the evaluation of an agency and year (one per agency, year and framework)',
      params: agencyParams, body: createEvaluationBody, response: { 201: evaluationSchema },
    },
  }, async (req, reply) => {
    const dto = await service.create(req.actor, req.params.agencyId, req.body);
    reply.code(201).header('location', `/v1/evaluations/${dto.id}`);
    return withEtag(reply, dto);
  });

  r.get('/v1/agencies/:agencyId/evaluations', {
    schema: {
      operationId: 'listEvaluations', description: 'The evaluations of an agency, optionally of one year.',
      tags, summary: 'Evaluations of an agency', params: agencyParams, querystring: listEvaluationsQuery, response: { 200: pageSchema(evaluationSchema) },
    },
  }, async (req) => service.list(req.actor, req.params.agencyId, req.query));

  r.get('/v1/evaluations/:evaluationId', {
    schema: {
      operationId: 'getEvaluation', description: 'One evaluation with its answers, the scores of each component and sub-component, the total and the grade.',
      tags, summary: 'One evaluation with its answers, scores by component and sub-component, total and grade', params: evaluationParams, response: { 200: evaluationSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.get(req.actor, req.params.evaluationId)));

  r.put('/v1/evaluations/:evaluationId/answers', {
    config: { roles: ROLES_EVALUATE },
    schema: {
      operationId: 'putEvaluationAnswers',
      tags, summary: 'Record answers (upsert by criterion; all or nothing; 409 once final; honours If-Match)',
      description: 'An omitted `note` keeps the note already recorded; `null` clears it. An unknown criterion or an answer outside its scale is a 400 naming the criterion, and nothing is written.',
      params: evaluationParams, body: answersBody, response: { 200: evaluationSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.putAnswers(req.actor, req, req.params.evaluationId, req.body)));

  r.post('/v1/evaluations/:evaluationId/finalize', {
    config: { roles: ROLES_EVALUATE },
    schema: {
      operationId: 'finalizeEvaluation', description: 'Finalizes an evaluation: its answers, total and grade can no longer change.',
      tags, summary: 'Finalize an evaluation: it can no longer change (409 when already final)', params: evaluationParams, response: { 200: evaluationSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.finalize(req.actor, req.params.evaluationId)));
}
