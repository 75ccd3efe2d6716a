import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES_WRITE_PLANNING } from '../../http/access.js';
import { ifMatchOf, withEtag } from '../../http/etag.js';
import { pageQuery, pageSchema } from '../../http/pagination.js';
import { yearParam } from '../plans/schemas.js';
import { agreementSchema, agreementService, putAgreementBody, signAgreementBody } from './service.js';

const params = z.object({ agencyId: z.uuid(), year: yearParam });

/** Perjanjian Kinerja (performance agreements). */
export async function agreementRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = agreementService(app.db);
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
    schema: { tags, operationId: 'getAgreement', summary: 'The current (latest) version of the agreement', description: 'Items read back with target, targetMin and targetMax.', params, response: { 200: agreementSchema } },
  }, async (req, reply) => withEtag(reply, await service.current(req.actor, req.params.agencyId, req.params.year)));

  r.get('/v1/agencies/:agencyId/agreements/:year/versions', {
    schema: { tags, operationId: 'listAgreementVersions', summary: 'Every version of the agreement, oldest first', description: 'Paged by version.', params, querystring: pageQuery, response: { 200: pageSchema(agreementSchema) } },
  }, async (req) => service.versions(req.actor, req.params.agencyId, req.params.year, req.query));
}
