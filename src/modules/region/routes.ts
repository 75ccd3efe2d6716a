import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { withEtag } from '../../http/etag.js';
import { yearParams } from '../reports/schemas.js';
import { completenessQuery, completenessSchema, rankingQuery, rankingSchema } from './schemas.js';
import { regionService } from './service.js';

/** Region-wide report figures: completeness and timeliness of measurements, achievement ranking. */
export async function regionRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = regionService(app.db);
  const tags = ['reports'];

  r.get('/v1/reports/:year/completeness', {
    schema: {
      tags, operationId: 'getReportingCompleteness', summary: 'Which agencies of a region reported their measurements for a period, and on time',
      description: 'Per agency in your scope (or below `parentId`): expected indicators (plan covers the year), reported ones (a submitted or verified measurement for the period) '
        + 'and those reported on time (first revision recorded by the end of the due date, WIB). Due dates come from the year\'s schedule (GET /v1/schedules/{year}).',
      params: yearParams, querystring: completenessQuery, response: { 200: completenessSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.completeness(req.actor, req.params.year, req.query)));

  r.get('/v1/reports/:year/ranking', {
    schema: {
      tags, operationId: 'getAchievementRanking', summary: 'Agencies of a region ranked by their LKjIP mean achievement',
      description: 'From the same figures as each agency\'s report summary (GET /v1/agencies/{agencyId}/reports/{year}), computed for the whole region at once.',
      params: yearParams, querystring: rankingQuery, response: { 200: rankingSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.ranking(req.actor, req.params.year, req.query)));
}
