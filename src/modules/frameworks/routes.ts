import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES_ADMIN } from '../../http/access.js';
import { ifMatchOf, withEtag } from '../../http/etag.js';
import { pageSchema } from '../../http/pagination.js';
import { frameworkService, toFrameworkDto } from './service.js';
import { frameworkBody, frameworkParams, frameworkSchema, listFrameworksQuery } from './schemas.js';

/** Evaluation frameworks (LKE): readable by every role, managed by admins. */
export async function frameworkRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = frameworkService(app.db);
  const tags = ['evaluations'];
  // Problem responses (400, 401, 403, 404, 409, 412 ...) are added to every route by src/http/openapi.ts.

  r.get('/v1/evaluation-frameworks', {
    schema: {
      operationId: 'listEvaluationFrameworks', description: 'The AKIP evaluation frameworks: components, sub-components and criteria with their weights.',
      tags, summary: 'List evaluation frameworks', querystring: listFrameworksQuery, response: { 200: pageSchema(frameworkSchema) },
    },
  }, async (req) => service.list(req.query));

  r.get('/v1/evaluation-frameworks/:frameworkId', {
    schema: {
      operationId: 'getEvaluationFramework', description: 'One evaluation framework, by its id or its code.',
      tags, summary: 'One evaluation framework, by id or code', params: frameworkParams, response: { 200: frameworkSchema },
    },
  }, async (req, reply) => withEtag(reply, toFrameworkDto(await service.get(req.params.frameworkId))));

  r.post('/v1/evaluation-frameworks', {
    config: { roles: ROLES_ADMIN },
    schema: {
      operationId: 'createEvaluationFramework',
      tags, summary: 'Create an evaluation framework (admin)',
      description: 'Weights are positive; sub-component weights add up to their component\'s weight and component weights to 100; criterion ids are unique.',
      body: frameworkBody, response: { 201: frameworkSchema },
    },
  }, async (req, reply) => {
    const dto = await service.create(req.actor, req.body);
    reply.code(201).header('location', `/v1/evaluation-frameworks/${dto.id}`);
    return withEtag(reply, dto);
  });

  r.put('/v1/evaluation-frameworks/:frameworkId', {
    config: { roles: ROLES_ADMIN },
    schema: {
      operationId: 'replaceEvaluationFramework', description: 'Replaces a custom framework; built-in frameworks and frameworks used by an evaluation cannot change.',
      tags, summary: 'Replace a framework (admin; 409 when built in or used by an evaluation; honours If-Match)',
      params: frameworkParams, body: frameworkBody, response: { 200: frameworkSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.replace(req.actor, ifMatchOf(req), req.params.frameworkId, req.body)));

  r.delete('/v1/evaluation-frameworks/:frameworkId', {
    config: { roles: ROLES_ADMIN },
    schema: {
      operationId: 'deleteEvaluationFramework', description: 'Deletes a custom framework that no evaluation uses.',
      tags, summary: 'Delete a framework (admin; 409 when built in or used by an evaluation; honours If-Match)',
      params: frameworkParams, response: { 204: z.undefined().describe('Deleted') },
    },
  }, async (req, reply) => {
    await service.remove(req.actor, ifMatchOf(req), req.params.frameworkId);
    return reply.code(204).send();
  });
}
