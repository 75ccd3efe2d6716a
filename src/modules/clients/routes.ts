import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { ROLES, clients } from '../../db/schema/index.js';
import { ROLES_ADMIN } from '../../http/access.js';
import { badRequest, notFound } from '../../http/problem.js';
import { decodeIdCursor, pageOf, pageQuery, pageSchema } from '../../http/pagination.js';
import { writeAudit } from '../audit/repository.js';
import { agencyService } from '../agencies/service.js';
import { hashSecret, newClientSecret } from '../auth/secrets.js';
import { newId } from '../../db/schema/columns.js';

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

type ClientRow = typeof clients.$inferSelect;
const toDto = (c: ClientRow) => ({
  id: c.id, clientId: c.clientId, name: c.name, role: c.role, agencyId: c.agencyId,
  createdAt: c.createdAt.toISOString(), revokedAt: c.revokedAt?.toISOString() ?? null,
});

/** OAuth clients, admin only. Secrets are shown once and stored hashed. */
export async function clientRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const agenciesSvc = agencyService(app.db);
  const tags = ['clients'];

  r.post('/v1/clients', {
    config: { roles: ROLES_ADMIN },
    schema: {
      operationId: 'createClient', description: 'Creates an API client with a role and, for agency roles, an agency scope; the answer carries the secret, which is never shown again.',
      tags, summary: 'Create a client (the secret is shown once)', body: createBody, response: { 201: createdClientSchema },
    },
  }, async (req, reply) => {
    const { name, role: clientRole, agencyId } = req.body;
    if (!agencyId && !['admin', 'evaluator'].includes(clientRole)) {
      throw badRequest(`A ${clientRole} client must have an agencyId`, [{ path: 'agencyId', message: 'required for this role' }]);
    }
    if (agencyId) {
      try {
        await agenciesSvc.getVisible(req.actor, agencyId);
      } catch {
        throw badRequest('agencyId names no agency', [{ path: 'agencyId', message: 'unknown agency' }]);
      }
    }
    const clientSecret = newClientSecret();
    const secretHash = await hashSecret(clientSecret);
    const clientId = req.body.clientId ?? `sakip-${newId().slice(-12)}`;
    const row = await app.db.transaction(async (tx) => {
      const [existing] = await tx.select({ id: clients.id }).from(clients).where(eq(clients.clientId, clientId));
      if (existing) throw badRequest(`clientId ${clientId} is taken`, [{ path: 'clientId', message: 'taken' }]);
      const [c] = await tx.insert(clients).values({ clientId, secretHash, name, role: clientRole, agencyId: agencyId ?? null }).returning();
      await writeAudit(tx, req.actor, { action: 'client.create', entityType: 'client', entityId: c.id, agencyId: c.agencyId, after: toDto(c) });
      return c;
    });
    reply.code(201).header('location', `/v1/clients/${row.id}`);
    return { ...toDto(row), clientSecret };
  });

  r.get('/v1/clients', {
    config: { roles: ROLES_ADMIN },
    schema: {
      operationId: 'listClients', description: 'Lists API clients, newest first, without their secrets; revoked clients only with includeRevoked=true.',
      tags, summary: 'List clients', querystring: pageQuery.extend({ includeRevoked: z.enum(['true', 'false']).optional() }), response: { 200: pageSchema(clientSchema) },
    },
  }, async (req) => {
    const after = decodeIdCursor(req.query.cursor);
    const rows = await app.db.select().from(clients)
      .where(and(after ? gt(clients.id, after) : undefined, req.query.includeRevoked === 'true' ? undefined : isNull(clients.revokedAt)))
      .orderBy(asc(clients.id)).limit(req.query.limit + 1);
    return pageOf(rows, req.query.limit, (c) => c.id, toDto);
  });

  r.delete('/v1/clients/:id', {
    config: { roles: ROLES_ADMIN },
    schema: {
      operationId: 'revokeClient', description: 'Revokes a client: it can no longer obtain tokens and its current tokens are refused within 60 seconds.',
      tags, summary: 'Revoke a client: its tokens stop working within 60 s', params: z.object({ id: z.uuid() }), response: { 204: z.undefined().describe('Revoked') },
    },
  }, async (req, reply) => {
    await app.db.transaction(async (tx) => {
      const [c] = await tx.select().from(clients).where(eq(clients.id, req.params.id)).for('update');
      if (!c || c.revokedAt) throw notFound('Client');
      const [after] = await tx.update(clients).set({ revokedAt: new Date() }).where(eq(clients.id, c.id)).returning();
      await writeAudit(tx, req.actor, { action: 'client.revoke', entityType: 'client', entityId: c.id, agencyId: c.agencyId, before: toDto(c), after: toDto(after) });
    });
    app.forgetClient(req.params.id);
    return reply.code(204).send();
  });
}
