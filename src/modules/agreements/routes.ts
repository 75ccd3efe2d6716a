import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES_WRITE_PLANNING } from '../../http/access.js';
import { ifMatchOf, withEtag } from '../../http/etag.js';
import { encodeCursor, pageQuery, pageSchema } from '../../http/pagination.js';
import { notFound } from '../../http/problem.js';
import { sendDocument } from '../documents/send.js';
import { DOCUMENT_TYPES, documentService, isDocumentType } from '../documents/service.js';
import { yearParam } from '../plans/schemas.js';
import { agreementSchema, agreementService, putAgreementBody, signAgreementBody } from './service.js';

const params = z.object({ agencyId: z.uuid(), year: yearParam });
const versionQuery = z.object({ version: z.coerce.number().int().min(1).max(1_000_000).optional().describe('A given version instead of the current one') });

/** Perjanjian Kinerja (performance agreements). */
export async function agreementRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = agreementService(app.db);
  const documents = documentService(app.db);
  const tags = ['agreements'];

  r.put('/v1/agencies/:agencyId/agreements/:year', {
    config: { roles: ROLES_WRITE_PLANNING },
    schema: {
      tags, operationId: 'putAgreement',
      summary: 'Create or replace the current draft (after a signed version: a new draft version, i.e. a revision); honours If-Match',
      description: 'Items take target, or targetMin + targetMax for a ranged target (0 < min < max). Refused with period-locked when the year is locked.',
      params, body: putAgreementBody, response: { 200: agreementSchema.describe('The draft was replaced'), 201: agreementSchema.describe('A new draft version') },
    },
  }, async (req, reply) => {
    const { dto, created } = await service.put(req.actor, ifMatchOf(req), req.params.agencyId, req.params.year, req.body);
    reply.code(created ? 201 : 200);
    return withEtag(reply, dto);
  });

  r.post('/v1/agencies/:agencyId/agreements/:year/sign', {
    config: { roles: ROLES_WRITE_PLANNING },
    schema: {
      tags, operationId: 'signAgreement', summary: 'Sign the current draft (409 when nothing is left to sign)', description: 'Signing makes the version immutable; the report uses the latest signed version.', params, body: signAgreementBody, response: { 200: agreementSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.sign(req.actor, req.params.agencyId, req.params.year, req.body.signedBy)));

  r.get('/v1/agencies/:agencyId/agreements/:year', {
    config: { produces: ['application/json', ...DOCUMENT_TYPES] },
    schema: {
      operationId: 'getAgreement', description: 'The latest version of the performance agreement of a year (draft or signed), or the version named by ?version=; items read back with target, targetMin and targetMax. As HTML or PDF the printable Perjanjian Kinerja.',
      tags, summary: 'The current (latest) version of the agreement, or ?version=; text/html or application/pdf: the printable Perjanjian Kinerja',
      params, querystring: versionQuery, response: { 200: agreementSchema },
    },
  }, async (req, reply) => {
    const { agencyId, year } = req.params;
    const { version } = req.query;
    if (isDocumentType(req.negotiated)) {
      const { data, body } = await documents.agreement(req.actor, agencyId, year, req.negotiated, version);
      return sendDocument(reply, req.negotiated, body, `perjanjian-kinerja-${data.agency.code}-${year}-v${data.version}`);
    }
    if (version === undefined) return withEtag(reply, await service.current(req.actor, agencyId, year));
    // One version: the page of versions that starts right after version - 1.
    const [dto] = (await service.versions(req.actor, agencyId, year, { limit: 1, cursor: encodeCursor(version - 1) })).data;
    if (dto?.version !== version) throw notFound(`Version ${version} of the agreement of ${year}`);
    return withEtag(reply, dto);
  });

  r.get('/v1/agencies/:agencyId/agreements/:year/versions', {
    schema: {
      operationId: 'listAgreementVersions', description: 'Every version of the performance agreement of a year, oldest first.',
      tags, summary: 'Every version of the agreement, oldest first', params, querystring: pageQuery, response: { 200: pageSchema(agreementSchema) },
    },
  }, async (req) => service.versions(req.actor, req.params.agencyId, req.params.year, req.query));
}
