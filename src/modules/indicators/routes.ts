import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ROLES_WRITE_PLANNING } from '../../http/access.js';
import { ifMatchOf, withEtag } from '../../http/etag.js';
import { pageSchema } from '../../http/pagination.js';
import { agencyParams, elementParams } from '../plans/schemas.js';
import { createIndicatorBody, indicatorParams, indicatorSchema, listIndicatorsQuery, patchIndicatorBody } from './schemas.js';
import { indicatorService } from './service.js';

export async function indicatorRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = indicatorService(app.db);
  const tags = ['indicators'];

  r.post('/v1/elements/:elementId/indicators', {
    config: { roles: ROLES_WRITE_PLANNING },
    schema: {
      operationId: 'createIndicator', description: 'Adds a performance indicator to an element, with its unit, polarity, aggregation of quarters and baseline.',
      tags, summary: 'Add an indicator to an element', params: elementParams, body: createIndicatorBody, response: { 201: indicatorSchema },
    },
  }, async (req, reply) => {
    const dto = await service.create(req.actor, req.params.elementId, req.body);
    reply.code(201).header('location', `/v1/indicators/${dto.id}`);
    return withEtag(reply, dto);
  });

  r.get('/v1/agencies/:agencyId/indicators', {
    schema: {
      operationId: 'listIndicators', description: 'The indicators of an agency\'s plans, filtered by plan, element, code or key-indicator flag.',
      tags, summary: 'The indicators of an agency', params: agencyParams, querystring: listIndicatorsQuery,
      response: { 200: pageSchema(indicatorSchema) },
    },
  }, async (req) => service.list(req.actor, req.params.agencyId, req.query));

  r.get('/v1/indicators/:indicatorId', {
    schema: {
      operationId: 'getIndicator', description: 'One indicator.',
      tags, summary: 'One indicator', params: indicatorParams, response: { 200: indicatorSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.get(req.actor, req.params.indicatorId)));

  r.patch('/v1/indicators/:indicatorId', {
    config: { roles: ROLES_WRITE_PLANNING },
    schema: {
      operationId: 'updateIndicator', description: 'Changes an indicator; polarity and aggregation cannot change once a period with measurements is locked.',
      tags, summary: 'Change an indicator (honours If-Match); polarity/aggregation changes are refused once measured periods are locked',
      params: indicatorParams, body: patchIndicatorBody, response: { 200: indicatorSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.update(req.actor, ifMatchOf(req), req.params.indicatorId, req.body)));
}
