import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ROLES_WRITE_PLANNING } from '../../http/access.js';
import { ifMatchOf, withEtag } from '../../http/etag.js';
import { analysisParams, analysisSchema, putAnalysisBody } from './schemas.js';
import { analysisService } from './service.js';

export async function analysisRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = analysisService(app.db);
  const tags = ['analyses'];
  const path = '/v1/indicators/:indicatorId/analyses/:year';

  r.put(path, {
    config: { roles: ROLES_WRITE_PLANNING },
    schema: {
      tags, operationId: 'putAnalysis', summary: 'Set the performance analysis (analisis capaian) of an indicator for a year; honours If-Match',
      description: 'Causes, supporting and inhibiting factors and solutions (text, each optional, empty when left out). Shown with the indicator in the report. The year must be inside the plan\'s years; period-locked when it is locked.',
      params: analysisParams, body: putAnalysisBody,
      response: { 200: analysisSchema.describe('Updated (or unchanged)'), 201: analysisSchema.describe('Created') },
    },
  }, async (req, reply) => {
    const { dto, created } = await service.put(req.actor, ifMatchOf(req), req.params.indicatorId, req.params.year, req.body);
    reply.code(created ? 201 : 200);
    return withEtag(reply, dto);
  });

  r.get(path, {
    schema: {
      tags, operationId: 'getAnalysis', summary: 'The performance analysis of an indicator for a year', description: '404 when none is recorded.',
      params: analysisParams, response: { 200: analysisSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.get(req.actor, req.params.indicatorId, req.params.year)));
}
