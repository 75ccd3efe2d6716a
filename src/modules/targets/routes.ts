import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ROLES_WRITE_PLANNING } from '../../http/access.js';
import { withEtag } from '../../http/etag.js';
import { pageQuery, pageSchema } from '../../http/pagination.js';
import { indicatorParams } from '../indicators/schemas.js';
import { importTargets, rowsFromCsv } from './batch.js';
import { batchBody, batchQuery, batchResultSchema, putTargetBody, targetParams, targetSchema } from './schemas.js';
import { targetService } from './service.js';

export async function targetRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = targetService(app.db);
  const tags = ['targets'];

  r.put('/v1/indicators/:indicatorId/targets/:period', {
    config: { roles: ROLES_WRITE_PLANNING },
    schema: {
      operationId: 'putTarget', description: 'Sets the target of a year or quarter inside the plan\'s years (201 when new, 200 when replaced).',
      tags, summary: 'Set the target of a period (YYYY or YYYYQn inside the plan\'s years; honours If-Match)',
      params: targetParams, body: putTargetBody, response: { 200: targetSchema, 201: targetSchema },
    },
  }, async (req, reply) => {
    const { dto, created } = await service.put(req.actor, req, req.params.indicatorId, req.params.period, req.body.value);
    reply.code(created ? 201 : 200);
    return withEtag(reply, dto);
  });

  r.get('/v1/indicators/:indicatorId/targets', {
    schema: {
      operationId: 'listTargets', description: 'The targets of an indicator ordered by period, a year before its quarters.',
      tags, summary: 'The targets of an indicator, by period (a year before its quarters)',
      params: indicatorParams, querystring: pageQuery, response: { 200: pageSchema(targetSchema) },
    },
  }, async (req) => service.list(req.actor, req.params.indicatorId, req.query));

  r.get('/v1/indicators/:indicatorId/targets/:period', {
    schema: {
      operationId: 'getTarget', description: 'The target of one period, with its ETag; 404 when none is set.',
      tags, summary: 'The target of one period, with its ETag (404 when none is set)', params: targetParams, response: { 200: targetSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.get(req.actor, req.params.indicatorId, req.params.period)));

  r.post('/v1/targets/batch', {
    bodyLimit: app.config.BATCH_BODY_LIMIT_BYTES,
    config: { roles: ROLES_WRITE_PLANNING, csvHeader: 'agency_code,indicator_code,period,value' },
    schema: {
      operationId: 'submitTargetBatch', description: 'Imports many targets from JSON or CSV, naming indicators by agency and indicator code; each row gets its own result.',
      tags,
      summary: 'Import targets: JSON {items} or text/csv (agency_code,indicator_code,period,value); per-row report',
      querystring: batchQuery, body: batchBody, response: { 200: batchResultSchema },
    },
  }, async (req) => {
    const rows = typeof req.body === 'string' ? rowsFromCsv(req.body) : req.body.items;
    return importTargets(app.db, req.actor, rows, req.query);
  });
}
