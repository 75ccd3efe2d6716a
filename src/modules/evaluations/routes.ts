import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ROLES_EVALUATE, ROLES_WRITE_PLANNING } from '../../http/access.js';
import { ifMatchOf, withEtag } from '../../http/etag.js';
import { pageSchema } from '../../http/pagination.js';
import { evaluationService } from './service.js';
import { evaluationSummaryService } from './summary.js';
import {
  agencyParams, answerSheetSchema, answersBody, createEvaluationBody, evaluationParams, evaluationSchema, historySchema,
  listEvaluationsQuery, selfAnswersBody, summaryQuery, summarySchema,
} from './schemas.js';

/** AKIP evaluations (LKE): evaluators and admins score, the agency's operators self-assess, everyone in scope reads. */
export async function evaluationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = evaluationService(app.db);
  const summaries = evaluationSummaryService(app.db);
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

  r.get('/v1/agencies/:agencyId/evaluation-history', {
    schema: {
      tags, operationId: 'getEvaluationHistory', summary: 'Grade history of an agency: every evaluation, oldest year first',
      description: 'Each year\'s evaluator total and grade (the grade of record) beside the self-assessment total; drafts are included with their status.',
      params: agencyParams, response: { 200: historySchema },
    },
  }, async (req) => summaries.history(req.actor, req.params.agencyId));

  r.get('/v1/evaluations/summary', {
    schema: {
      tags, operationId: 'getEvaluationSummary', summary: 'Region summary of a year\'s final evaluations: counts by grade, mean total, ranking',
      description: 'Over the final evaluations of the year of every agency in your scope, or with `parentId` of every agency below that one (all levels). One evaluation per agency (the latest finalized).',
      querystring: summaryQuery, response: { 200: summarySchema },
    },
  }, async (req) => summaries.summary(req.actor, req.query));

  r.get('/v1/evaluations/:evaluationId', {
    schema: {
      operationId: 'getEvaluation', description: 'One evaluation with its answers, the scores of each component and sub-component, the total and the grade.',
      tags, summary: 'One evaluation with its answers, scores by component and sub-component, total and grade', params: evaluationParams, response: { 200: evaluationSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.get(req.actor, req.params.evaluationId)));

  r.get('/v1/evaluations/:evaluationId/answers', {
    schema: {
      tags, operationId: 'getEvaluationAnswers', summary: 'Both answers per criterion: the agency\'s (self, with evidence) and the evaluator\'s',
      description: 'Every criterion of the evaluation in the order of the LKE sheet, with the agency\'s self-assessment (answer, note, evidence links) and the evaluator\'s answer side by side.',
      params: evaluationParams, response: { 200: answerSheetSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.answers(req.actor, req.params.evaluationId)));

  r.put('/v1/evaluations/:evaluationId/answers', {
    config: { roles: ROLES_EVALUATE },
    schema: {
      operationId: 'putEvaluationAnswers',
      tags, summary: 'Record answers (upsert by criterion; all or nothing; 409 once final; honours If-Match)',
      description: 'Evaluators and admins only. An omitted `note` keeps the note already recorded; `null` clears it. An unknown criterion or an answer outside its scale is a 400 naming the criterion, and nothing is written.',
      params: evaluationParams, body: answersBody, response: { 200: evaluationSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.putAnswers(req.actor, req.params.evaluationId, req.body, ifMatchOf(req))));

  r.put('/v1/evaluations/:evaluationId/self-answers', {
    config: { roles: ROLES_WRITE_PLANNING },
    schema: {
      tags, operationId: 'putEvaluationSelfAnswers', summary: 'Record the agency\'s self-assessment (nilai mandiri) with evidence (upsert by criterion; all or nothing; 409 once final)',
      description: 'The agency\'s operators (a client whose scope includes the agency) and admins, while the evaluation is a draft; evaluators may not (403). '
        + 'Scored by the same rules as the evaluator\'s answers (`selfTotal`, `selfGrade`, `selfScore`). An omitted `note` or `evidence` keeps what is recorded. Honours If-Match.',
      params: evaluationParams, body: selfAnswersBody, response: { 200: evaluationSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.putSelfAnswers(req.actor, req.params.evaluationId, req.body, ifMatchOf(req))));

  r.post('/v1/evaluations/:evaluationId/finalize', {
    config: { roles: ROLES_EVALUATE },
    schema: {
      operationId: 'finalizeEvaluation', description: 'Finalizes an evaluation: its answers, total and grade can no longer change.',
      tags, summary: 'Finalize an evaluation: it can no longer change (409 when already final)', params: evaluationParams, response: { 200: evaluationSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.finalize(req.actor, req.params.evaluationId, ifMatchOf(req))));
}
