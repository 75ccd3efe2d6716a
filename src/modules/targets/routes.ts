import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ROLES_WRITE_PLANNING } from '../../http/access.js';
import { ifMatchOf, withEtag } from '../../http/etag.js';
import { pageQuery, pageSchema } from '../../http/pagination.js';
import { indicatorParams } from '../indicators/schemas.js';
import { importTargets, rowsFromCsv } from './batch.js';
import {
  batchBody, batchQuery, batchResultSchema, putTargetBody, TARGET_CSV_HEADER, TARGET_CSV_HEADER_RANGED, targetParams, targetSchema,
} from './schemas.js';
import { targetService, targetValueOf } from './service.js';

export async function targetRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = targetService(app.db);
  const tags = ['targets'];

  r.put('/v1/indicators/:indicatorId/targets/:period', {
    config: { roles: ROLES_WRITE_PLANNING },
    schema: {
      tags, operationId: 'putTarget',
      summary: 'Set the target of a period: {value} or a range {min, max} (YYYY or YYYYQn inside the plan\'s years; honours If-Match)',
      description: 'A ranged target (target rentang) has 0 < min < max; it reads back with value null. Refused with period-locked when the period or its year is locked.',
      params: targetParams, body: putTargetBody, response: { 200: targetSchema, 201: targetSchema },
    },
  }, async (req, reply) => {
    const { dto, created } = await service.put(req.actor, ifMatchOf(req), req.params.indicatorId, req.params.period, targetValueOf(req.body));
    reply.code(created ? 201 : 200);
    return withEtag(reply, dto);
  });

  r.get('/v1/indicators/:indicatorId/targets', {
    schema: {
      tags, operationId: 'listTargets', summary: 'The targets of an indicator, by period (a year before its quarters)',
      description: 'Each target is {period, value, min, max}: value null for a range.',
      params: indicatorParams, querystring: pageQuery, response: { 200: pageSchema(targetSchema) },
    },
  }, async (req) => service.list(req.actor, req.params.indicatorId, req.query));

  r.get('/v1/indicators/:indicatorId/targets/:period', {
    schema: { tags, operationId: 'getTarget', summary: 'The target of one period, with its ETag (404 when none is set)', description: 'value null for a ranged target (then min and max).', params: targetParams, response: { 200: targetSchema } },
  }, async (req, reply) => withEtag(reply, await service.get(req.actor, req.params.indicatorId, req.params.period)));

  r.post('/v1/targets/batch', {
    bodyLimit: app.config.BATCH_BODY_LIMIT_BYTES,
    config: { roles: ROLES_WRITE_PLANNING, csvHeader: TARGET_CSV_HEADER },
    schema: {
      tags,
      operationId: 'submitTargetBatch',
      summary: 'Import targets: JSON {items} or text/csv; per-row report',
      description: `Rows {indicatorId | agencyCode + indicatorCode, period, value} or {…, min, max} for a range. CSV header ${TARGET_CSV_HEADER}, or ${TARGET_CSV_HEADER_RANGED} with value empty on ranged rows.`,
      querystring: batchQuery, body: batchBody, response: { 200: batchResultSchema },
    },
  }, async (req) => {
    const rows = typeof req.body === 'string' ? rowsFromCsv(req.body) : req.body.items;
    return importTargets(app.db, req.actor, rows, req.query);
  });
}
