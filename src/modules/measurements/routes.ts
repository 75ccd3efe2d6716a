import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES_WRITE_MEASUREMENTS, type Role } from '../../http/access.js';
import { ifMatchOf, withEtag } from '../../http/etag.js';
import { pageSchema } from '../../http/pagination.js';
import { Problem, badRequest } from '../../http/problem.js';
import { jsonItems, measurementBatch } from './batch.js';
import { parseCsvBatch } from './csv.js';
import {
  MAX_BATCH_ROWS, agencyParams, batchBody, batchQuery, batchResultSchema, indicatorParams, listAgencyMeasurementsQuery,
  listIndicatorMeasurementsQuery, measurementParams, measurementSchema, putMeasurementBody, revisionSchema, verificationBody,
} from './schemas.js';
import { measurementService } from './service.js';

/** Verification (verifikasi) of measurements: the agency's operators and admins. */
const ROLES_VERIFY: Role[] = ['admin', 'operator'];
const BATCH_CONCURRENCY = 3;
const isCsv = (ct: string | undefined) => /^(text|application)\/csv\b/i.test(ct ?? '');
const isJson = (ct: string | undefined) => /^application\/json\b/i.test(ct ?? '');

export async function measurementRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = measurementService(app.db);
  // Chunks of a batch are written on up to 3 pool connections at once; PGlite has only one.
  const batch = measurementBatch(app.db, {
    concurrency: app.database.driver === 'pglite' ? 1 : BATCH_CONCURRENCY, chunkRows: app.config.BATCH_CHUNK_ROWS,
  });
  const tags = ['measurements'];

  r.put('/v1/indicators/:indicatorId/measurements/:period', {
    config: { roles: ROLES_WRITE_MEASUREMENTS },
    schema: {
      operationId: 'putMeasurement', description: 'Records the realisation (realisasi) of an indicator for a year or quarter; refused while the period is locked.',
      tags, summary: 'Record the realization of a period (201 created, 200 updated or unchanged; honours If-Match)',
      params: measurementParams, body: putMeasurementBody, response: { 200: measurementSchema, 201: measurementSchema },
    },
  }, async (req, reply) => {
    const { dto, created } = await service.put(req.actor, ifMatchOf(req), req.params.indicatorId, req.params.period, req.body);
    reply.code(created ? 201 : 200);
    if (created) reply.header('location', `/v1/indicators/${dto.indicatorId}/measurements/${dto.period}`);
    return withEtag(reply, dto);
  });

  r.get('/v1/indicators/:indicatorId/measurements/:period', {
    schema: {
      operationId: 'getMeasurement', description: 'One measurement with its verification status and ETag.',
      tags, summary: 'One measurement, with its ETag', params: measurementParams, response: { 200: measurementSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.get(req.actor, req.params.indicatorId, req.params.period)));

  r.get('/v1/indicators/:indicatorId/measurements/:period/history', {
    schema: {
      operationId: 'listMeasurementHistory', description: 'Every revision of a measurement, oldest first: value changes and verification decisions with their actors.',
      tags, summary: 'Every revision of a measurement, oldest first (value changes and verification decisions)',
      params: measurementParams, response: { 200: z.object({ data: z.array(revisionSchema) }) },
    },
  }, async (req) => service.history(req.actor, req.params.indicatorId, req.params.period));

  r.get('/v1/indicators/:indicatorId/measurements', {
    schema: {
      operationId: 'listIndicatorMeasurements', description: 'The measurements of an indicator ordered by period, optionally within a year.',
      tags, summary: 'The measurements of an indicator, ordered by period',
      params: indicatorParams, querystring: listIndicatorMeasurementsQuery, response: { 200: pageSchema(measurementSchema) },
    },
  }, async (req) => service.listForIndicator(req.actor, req.params.indicatorId, req.query));

  r.get('/v1/agencies/:agencyId/measurements', {
    schema: {
      operationId: 'listAgencyMeasurements', description: 'The measurements of an agency, and with includeDescendants=true of the agencies below it, paged by cursor.',
      tags, summary: 'The measurements of an agency (and with includeDescendants=true, of the agencies below it), ordered by (indicatorId, period)',
      params: agencyParams, querystring: listAgencyMeasurementsQuery, response: { 200: pageSchema(measurementSchema) },
    },
  }, async (req) => service.listForAgency(req.actor, req.params.agencyId, req.query));

  r.post('/v1/indicators/:indicatorId/measurements/:period/verification', {
    config: { roles: ROLES_VERIFY },
    schema: {
      operationId: 'verifyMeasurement', description: 'Verifies a measurement or returns it to the operator with a comment.',
      tags, summary: 'Verify or return a measurement (a comment is required to return it)',
      params: measurementParams, body: verificationBody, response: { 200: measurementSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.verify(req.actor, req.params.indicatorId, req.params.period, req.body)));

  r.post('/v1/measurements/batch', {
    bodyLimit: app.config.BATCH_BODY_LIMIT_BYTES,
    config: { roles: ROLES_WRITE_MEASUREMENTS, csvHeader: 'agency_code,indicator_code,period,value,note' },
    // Only JSON and CSV: anything else (a form, XML) is 415 before validation.
    preValidation: async (req) => {
      const ct = req.headers['content-type'];
      if (!isJson(ct) && !isCsv(ct)) {
        throw new Problem('unsupported-media-type', `Content-Type ${ct ?? '(none)'} is not accepted here; send application/json or text/csv`);
      }
    },
    schema: {
      operationId: 'submitMeasurementBatch',
      tags, summary: `Import up to ${MAX_BATCH_ROWS} measurements (JSON or text/csv); dryRun and atomic; honours Idempotency-Key`,
      description: 'Rows are validated one by one and each gets a result; valid rows are written in chunks of 5,000, each in its own '
        + 'transaction (atomic=true: all in one transaction, and none when a row is rejected: the valid rows are then `valid`, not written; '
        + 'dryRun=true: none, with the status each row would get). A row identical to the stored measurement is `unchanged` and writes nothing. '
        + 'The note is replaced by each row (an empty note clears it); evidence is kept. CSV: separated by , or ; (the header line decides), '
        + 'a decimal comma in ;-files; a rejected CSV row carries its `line` in the file (header = 1) and the codes it named. '
        + 'With an Idempotency-Key, a resend after a failure mid-way finishes the batch (rows already written are `unchanged`).',
      querystring: batchQuery, body: batchBody, response: { 200: batchResultSchema },
    },
  }, async (req) => {
    const csv = isCsv(req.headers['content-type']);
    const body = req.body;
    let items;
    if (csv) {
      if (typeof body !== 'string') throw badRequest('The CSV body cannot be read');
      items = parseCsvBatch(body);
    } else {
      if (typeof body === 'string') throw badRequest('The JSON body must be an object {"items": [...]}', [{ path: 'items', message: 'required' }]);
      items = jsonItems(body.items);
    }
    if (items.length > MAX_BATCH_ROWS) {
      throw new Problem('payload-too-large', `A batch holds at most ${MAX_BATCH_ROWS} rows; this one has ${items.length}: split it`);
    }
    return batch.run(req.actor, items, req.query);
  });
}
