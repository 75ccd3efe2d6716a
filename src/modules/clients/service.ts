import type { Db } from '../../db/client.js';
import { writeGate } from '../../db/gate.js';
import { newId } from '../../db/schema/columns.js';
import type { ROLES } from '../../db/schema/index.js';
import type { Actor } from '../../http/access.js';
import { decodeIdCursor, pageOf } from '../../http/pagination.js';
import { badRequest, notFound } from '../../http/problem.js';
import { agencyService } from '../agencies/service.js';
import { hashSecret, newClientSecret } from '../auth/secrets.js';
import { clientRepository, type ClientRow } from './repository.js';

export type ClientDto = {
  id: string; clientId: string; name: string; role: (typeof ROLES)[number]; agencyId: string | null; createdAt: string; revokedAt: string | null;
};
type CreateInput = { name: string; role: ClientDto['role']; agencyId?: string | null; clientId?: string };

const toDto = (c: ClientRow): ClientDto => ({
  id: c.id, clientId: c.clientId, name: c.name, role: c.role, agencyId: c.agencyId,
  createdAt: c.createdAt.toISOString(), revokedAt: c.revokedAt?.toISOString() ?? null,
});

/** OAuth clients (admin only). Secrets are shown once and stored hashed. */
export function clientService(db: Db) {
  const repo = clientRepository(db);
  const gate = writeGate(db);
  const agencies = agencyService(db);

  return {
    async create(actor: Actor, input: CreateInput): Promise<ClientDto & { clientSecret: string }> {
      const { name, role, agencyId } = input;
      if (!agencyId && !['admin', 'evaluator'].includes(role)) {
        throw badRequest(`A ${role} client must have an agencyId`, [{ path: 'agencyId', message: 'required for this role' }]);
      }
      if (agencyId) {
        try {
          await agencies.getVisible(actor, agencyId);
        } catch {
          throw badRequest('agencyId names no agency', [{ path: 'agencyId', message: 'unknown agency' }]);
        }
      }
      const clientSecret = newClientSecret();
      const secretHash = await hashSecret(clientSecret);
      const clientId = input.clientId ?? `sakip-${newId().slice(-12)}`;
      // The answer (with the secret) is what an idempotent retry gets again, as with every POST.
      return gate.run(actor, async ({ tx, audit }) => {
        if (await repo.findByClientId(clientId, tx)) throw badRequest(`clientId ${clientId} is taken`, [{ path: 'clientId', message: 'taken' }]);
        const row = await repo.insert({ clientId, secretHash, name, role, agencyId: agencyId ?? null }, tx);
        const created = toDto(row);
        await audit({ action: 'client.create', entityType: 'client', entityId: row.id, agencyId: row.agencyId, after: created });
        return { ...created, clientSecret };
      });
    },

    async list(q: { cursor?: string; limit: number; includeRevoked?: 'true' | 'false' }) {
      const rows = await repo.list({ afterId: decodeIdCursor(q.cursor), includeRevoked: q.includeRevoked === 'true', limit: q.limit });
      return pageOf(rows, q.limit, (c) => c.id, toDto);
    },

    async revoke(actor: Actor, id: string): Promise<void> {
      await gate.run(actor, async ({ tx, audit }) => {
        const current = await repo.findByIdForUpdate(id, tx);
        if (!current || current.revokedAt) throw notFound('Client');
        const after = await repo.revoke(id, tx);
        await audit({ action: 'client.revoke', entityType: 'client', entityId: id, agencyId: current.agencyId, before: toDto(current), after: toDto(after) });
      });
    },
  };
}
