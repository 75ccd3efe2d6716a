import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES_WRITE_PLANNING } from '../../http/access.js';
import { csvAnswerQuery, delimiterOf } from '../../http/csv.js';
import { etagOf, withEtag } from '../../http/etag.js';
import { pageQuery, pageSchema } from '../../http/pagination.js';
import { publicJwksUrl, sendDocument } from '../documents/send.js';
import { DOCUMENT_TYPES, isDocumentType, renderReport } from '../documents/service.js';
import { reportCsv } from './csv.js';
import {
  listReportsQuery, reportParams, reportSchema, submissionCreatedSchema, submissionMetaSchema, submissionParams,
  submissionSchema, yearParams,
} from './schemas.js';
import { reportService } from './service.js';
import { submissionService } from './submissions.js';

/** The report as UTF-8 JSON, with the ETag of the report without its generatedAt, i.e.
 * `etagOf({ ...report, generatedAt: undefined })`, hashed from the bytes already encoded for the
 * response (a large report is stringified and encoded once): the top-level `,"generatedAt":"…"` is
 * skipped. A string value cannot hold that unescaped sequence, so the first match is the top-level key. */
function reportBody(report: { generatedAt: string }): { body: Buffer; etag: string } {
  const body = Buffer.from(JSON.stringify(report));
  const member = Buffer.from(`,"generatedAt":${JSON.stringify(report.generatedAt)}`);
  const at = body.indexOf(member);
  if (at < 0) return { body, etag: etagOf({ ...report, generatedAt: undefined }) };
  const skip = at + member.length;
  const hash = createHash('sha256').update(body.subarray(0, at)).update(body.subarray(skip)).digest('base64url').slice(0, 27);
  return { body, etag: `"${hash}"` };
}

/** LKjIP reports: computed now (JSON, CSV, NDJSON stream) and frozen, signed submissions. */
export async function reportRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const reports = reportService(app.db, app.dbRead);
  const submissions = submissionService(app.db, () => app.keys, reports);
  const tags = ['reports'];

  r.get('/v1/agencies/:agencyId/reports/:year', {
    config: { produces: ['application/json', 'text/csv', ...DOCUMENT_TYPES] },
    schema: {
      operationId: 'getReport', description: 'The performance report (LKjIP) of an agency and year, computed from the current data: achievement per indicator, grouped by objective, with budgets.',
      tags,
      summary: 'The LKjIP of an agency and year, computed now (Accept: text/csv for one row per indicator; text/html or application/pdf for the printable chapter III)',
      params: reportParams,
      querystring: csvAnswerQuery,
      response: {
        200: {
          description: 'The report',
          content: {
            'application/json': { schema: reportSchema },
            'text/csv': { schema: z.string().describe('UTF-8 with BOM, CRLF, a header line, one row per indicator') },
          },
        },
      },
    },
  }, async (req, reply) => {
    const report = await reports.get(req.actor, req.params.agencyId, req.params.year);
    if (isDocumentType(req.negotiated)) {
      return sendDocument(reply, req.negotiated, await renderReport(report, req.negotiated), `lkjip-${report.agency.code}-${report.year}`);
    }
    if (req.negotiated === 'text/csv') {
      const csv = reportCsv(report, delimiterOf(req.query));
      return reply.type('text/csv; charset=utf-8').header('etag', etagOf(csv))
        .header('content-disposition', `attachment; filename="lkjip-${report.agency.code}-${report.year}.csv"`)
        .send(csv);
    }
    // Weak: two reports of the same figures differ only in generatedAt, and are equivalent.
    const { body, etag } = reportBody(report);
    reply.header('etag', `W/${etag}`);
    return reply.type('application/json; charset=utf-8').send(body as unknown as string); // bytes; the schema types only the body
  });

  r.get('/v1/reports/:year', {
    config: { produces: ['application/json', 'application/x-ndjson'] },
    schema: {
      operationId: 'listReports', description: 'The reports of every agency in your scope for a year, paged; with Accept: application/x-ndjson all of them as a stream.',
      tags,
      summary: 'Reports of every agency in your scope, paged (Accept: application/x-ndjson streams them all, one report a line)',
      params: yearParams,
      querystring: listReportsQuery,
      response: {
        200: {
          description: 'A page of reports, or an NDJSON stream of every report',
          content: {
            'application/json': { schema: pageSchema(reportSchema) },
            'application/x-ndjson': { schema: z.string().describe('One Report JSON per line') },
          },
        },
      },
    },
  }, async (req, reply) => {
    const { year } = req.params;
    if (req.negotiated === 'application/x-ndjson') {
      const { kind, parentId, cursor } = req.query;
      const stream = reports.stream(req.actor, year, { kind, parentId, cursor });
      return reply.type('application/x-ndjson; charset=utf-8').send(stream as unknown as string); // a stream; the schema types only the body
    }
    return reply.type('application/json; charset=utf-8').send(await reports.list(req.actor, year, req.query));
  });

  r.post('/v1/agencies/:agencyId/reports/:year/submissions', {
    config: { roles: ROLES_WRITE_PLANNING },
    schema: {
      operationId: 'submitReport', description: 'Freezes the report of a year as a new version, signs it (JWS) and locks the year.',
      tags,
      summary: 'Submit (freeze, sign and lock) the report of an agency and year; 409 period-locked while the year is locked',
      params: reportParams,
      response: { 201: submissionCreatedSchema },
    },
  }, async (req, reply) => {
    const created = await submissions.submit(req.actor, req.params.agencyId, req.params.year);
    reply.code(201).header('location', `/v1/agencies/${created.agencyId}/reports/${created.year}/submissions/${created.version}`);
    return created;
  });

  r.get('/v1/agencies/:agencyId/reports/:year/submissions', {
    schema: {
      operationId: 'listReportSubmissions', description: 'The submitted versions of a report with their digests, without the frozen reports.',
      tags, summary: 'Submitted versions of a report (metadata)', params: reportParams, querystring: pageQuery, response: { 200: pageSchema(submissionMetaSchema.extend({
        onTime: z.boolean().describe('Whether this LKjIP was submitted on time: its first version by the LKjIP due date (end of the day, WIB); the same on every version'),
        dueDate: z.string().describe('The LKjIP due date of the agency (regional or central track) from the year\'s schedule'),
      })) },
    },
  }, async (req) => submissions.list(req.actor, req.params.agencyId, req.params.year, req.query));

  r.get('/v1/agencies/:agencyId/reports/:year/submissions/:version', {
    config: { produces: ['application/json', ...DOCUMENT_TYPES] },
    schema: {
      operationId: 'getReportSubmission', description: 'One submitted version: the frozen report, its digest and its JWS (verify with the JWKS); as HTML or PDF the frozen report printed with its digest.',
      tags, summary: 'One submitted version: its frozen report and JWS (text/html or application/pdf: the frozen report printed with its digest)',
      params: submissionParams, response: { 200: submissionSchema },
    },
  }, async (req, reply) => {
    const s = await submissions.get(req.actor, req.params.agencyId, req.params.year, req.params.version);
    if (isDocumentType(req.negotiated)) {
      const body = await renderReport(s.report, req.negotiated, { ...s, jwksUrl: publicJwksUrl(req), jwsUrl: `${req.protocol}://${req.host}${req.url.split('?')[0]}` });
      return sendDocument(reply, req.negotiated, body, `lkjip-${s.report.agency.code}-${s.year}-v${s.version}`);
    }
    return withEtag(reply, s);
  });
}
