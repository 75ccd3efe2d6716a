import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ROLES_ADMIN } from '../../http/access.js';
import { ifMatchOf, withEtag } from '../../http/etag.js';
import { pageSchema } from '../../http/pagination.js';
import { agencyService, toAgencyDto } from './service.js';
import { agencyParams, agencySchema, createAgencyBody, listAgenciesQuery, patchAgencyBody } from './schemas.js';

export async function agencyRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = agencyService(app.db);
  const tags = ['agencies'];

  r.post('/v1/agencies', {
    config: { roles: ROLES_ADMIN },
    schema: {
      operationId: 'createAgency', description: 'Creates an agency (ministry, province, regency, city, department, unit, ...) under an optional parent; codes are unique.',
      tags, summary: 'Create an agency', body: createAgencyBody, response: { 201: agencySchema },
    },
  }, async (req, reply) => {
    const dto = await service.create(req.actor, req.body);
    reply.code(201).header('location', `/v1/agencies/${dto.id}`);
    return withEtag(reply, dto);
  });

  r.get('/v1/agencies', {
    schema: {
      operationId: 'listAgencies', description: 'Lists the agencies you can see (your agency and those below it), filtered by code, kind or parent.',
      tags, summary: 'List agencies in your scope', querystring: listAgenciesQuery, response: { 200: pageSchema(agencySchema) },
    },
  }, async (req) => service.list(req.actor, req.query));

  r.get('/v1/agencies/:agencyId', {
    schema: {
      operationId: 'getAgency', description: 'One agency in your scope; the ETag may be sent back as If-Match when changing it.',
      tags, summary: 'One agency', params: agencyParams, response: { 200: agencySchema },
    },
  }, async (req, reply) => {
    return withEtag(reply, toAgencyDto(await service.getVisible(req.actor, req.params.agencyId)));
  });

  r.patch('/v1/agencies/:agencyId', {
    config: { roles: ROLES_ADMIN },
    schema: {
      operationId: 'updateAgency', description: 'Changes the code, name, kind or parent of an agency; a parent may not be the agency itself or one below it.',
      tags, summary: 'Change an agency (honours If-Match)', params: agencyParams, body: patchAgencyBody, response: { 200: agencySchema },
    },
  }, async (req, reply) => withEtag(reply, await service.update(req.actor, ifMatchOf(req), req.params.agencyId, req.body)));
}
