import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ROLES_WRITE_PLANNING } from '../../http/access.js';
import { withEtag } from '../../http/etag.js';
import { pageSchema } from '../../http/pagination.js';
import { agencyParams, elementParams } from '../plans/schemas.js';
import { crosscuttingSchema, decisionBody, linkParams, listCrosscuttingQuery, proposeBody } from './schemas.js';
import { crosscuttingService } from './service.js';

export async function crosscuttingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = crosscuttingService(app.db);
  const tags = ['crosscutting'];

  r.post('/v1/elements/:elementId/crosscutting', {
    config: { roles: ROLES_WRITE_PLANNING },
    schema: {
      tags, operationId: 'proposeCrosscutting', summary: 'Propose that this element contributes to an element of another agency (lintas sektor)',
      description: 'By the contributing agency (the element must be in your scope). The target must belong to a sibling or other non-ancestor agency: its own agency or an ancestor is 400 (that is supports). A pending or accepted link between the same elements is 409. The link is pending until the receiving agency decides.',
      params: elementParams, body: proposeBody, response: { 201: crosscuttingSchema },
    },
  }, async (req, reply) => {
    const dto = await service.propose(req.actor, req.params.elementId, req.body);
    reply.code(201);
    return withEtag(reply, dto);
  });

  r.post('/v1/crosscutting/:id/decision', {
    config: { roles: ROLES_WRITE_PLANNING },
    schema: {
      tags, operationId: 'decideCrosscutting', summary: 'Accept or reject a pending crosscutting link',
      description: 'By the receiving agency (its scope, or an admin); the proposing side alone is 403. A reason is required to reject. Deciding a link that is not pending is 409.',
      params: linkParams, body: decisionBody, response: { 200: crosscuttingSchema },
    },
  }, async (req, reply) => withEtag(reply, await service.decide(req.actor, req.params.id, req.body.decision, req.body.reason)));

  r.get('/v1/agencies/:agencyId/crosscutting', {
    schema: {
      tags, operationId: 'listCrosscutting', summary: 'The crosscutting links of an agency',
      description: 'direction=incoming (to its elements) or outgoing (from them), both when absent; status filters. Paged.',
      params: agencyParams, querystring: listCrosscuttingQuery, response: { 200: pageSchema(crosscuttingSchema) },
    },
  }, async (req) => service.list(req.actor, req.params.agencyId, req.query));
}
