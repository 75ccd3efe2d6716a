import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../db/schema/index.js';
import { ROLES_ADMIN } from '../../http/access.js';
import { pageQuery, pageSchema } from '../../http/pagination.js';
import { clientService } from './service.js';

const role = z.enum(ROLES);
const clientSchema = z.object({
  id: z.uuid(),
  clientId: z.string(),
  name: z.string(),
  role,
  agencyId: z.uuid().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
}).meta({ id: 'Client' });

const createdClientSchema = clientSchema.extend({
  clientSecret: z.string().describe('Shown this once only; store it safely'),
}).meta({ id: 'CreatedClient' });

const createBody = z.object({
  name: z.string().trim().min(1).max(200),
  role,
  agencyId: z.uuid().nullish(),
  clientId: z.string().regex(/^[A-Za-z0-9._-]{3,100}$/).optional().describe('Chosen client_id; generated when absent'),
}).strict();

/** OAuth clients, admin only. Secrets are shown once and stored hashed. */
export async function clientRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const svc = clientService(app.db);
  const tags = ['clients'];

  r.post('/v1/clients', {
    config: { roles: ROLES_ADMIN },
    schema: {
      operationId: 'createClient', description: 'Creates an API client with a role and, for agency roles, an agency scope; the answer carries the secret, which is never shown again.',
      tags, summary: 'Create a client (the secret is shown once)', body: createBody, response: { 201: createdClientSchema },
    },
  }, async (req, reply) => {
    const created = await svc.create(req.actor, req.body);
    reply.code(201).header('location', `/v1/clients/${created.id}`);
    return created;
  });

  r.get('/v1/clients', {
    config: { roles: ROLES_ADMIN },
    schema: {
      operationId: 'listClients', description: 'Lists API clients, newest first, without their secrets; revoked clients only with includeRevoked=true.',
      tags, summary: 'List clients', querystring: pageQuery.extend({ includeRevoked: z.enum(['true', 'false']).optional() }), response: { 200: pageSchema(clientSchema) },
    },
  }, async (req) => svc.list(req.query));

  r.delete('/v1/clients/:id', {
    config: { roles: ROLES_ADMIN },
    schema: {
      operationId: 'revokeClient', description: 'Revokes a client: it can no longer obtain tokens and its current tokens are refused within 60 seconds.',
      tags, summary: 'Revoke a client: its tokens stop working within 60 s', params: z.object({ id: z.uuid() }), response: { 204: z.undefined().describe('Revoked') },
    },
  }, async (req, reply) => {
    await svc.revoke(req.actor, req.params.id);
    app.forgetClient(req.params.id);
    return reply.code(204).send();
  });
}
