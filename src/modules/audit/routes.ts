import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES_AUDIT } from '../../http/access.js';
import { decodeCursor, pageOf, pageQuery, pageSchema } from '../../http/pagination.js';
import { listAudit } from './repository.js';

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  agencyId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  requestId: z.string().nullable(),
}).meta({ id: 'AuditEntry' });

export async function auditRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/audit', {
    config: { roles: ROLES_AUDIT },
    schema: {
      operationId: 'listAuditEntries', description: 'Every write with its actor, request id and before/after images, newest first, paged by cursor and filtered by entity, actor or time.',
      tags: ['audit'],
      summary: 'The append-only audit trail, newest first',
      querystring: pageQuery.extend({
        entityType: z.string().optional(),
        entityId: z.string().optional(),
        actor: z.string().optional().describe('clientId of the caller who made the change'),
        since: z.iso.datetime({ offset: true }).optional(),
      }),
      response: { 200: pageSchema(auditEntrySchema) },
    },
  }, async (req) => {
    const q = req.query;
    const beforeId = decodeCursor(q.cursor, (v): v is number => Number.isSafeInteger(v) && (v as number) > 0);
    const rows = await listAudit(app.db, { ...q, beforeId }, req.actor.agencyId);
    return pageOf(rows, q.limit, (r) => r.id, (r) => ({ ...r, at: r.at.toISOString() }));
  });
}
