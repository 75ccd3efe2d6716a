import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { clients } from '../../db/schema/index.js';

export type ClientRow = typeof clients.$inferSelect;

/** OAuth clients: SQL only. */
export function clientRepository(db: DbOrTx) {
  return {
    async findByClientId(clientId: string, tx: DbOrTx = db): Promise<ClientRow | null> {
      const [row] = await tx.select().from(clients).where(eq(clients.clientId, clientId));
      return row ?? null;
    },
    async findByIdForUpdate(id: string, tx: DbOrTx = db): Promise<ClientRow | null> {
      const [row] = await tx.select().from(clients).where(eq(clients.id, id)).for('update');
      return row ?? null;
    },
    async insert(values: typeof clients.$inferInsert, tx: DbOrTx = db): Promise<ClientRow> {
      const [row] = await tx.insert(clients).values(values).returning();
      return row;
    },
    async revoke(id: string, tx: DbOrTx = db): Promise<ClientRow> {
      const [row] = await tx.update(clients).set({ revokedAt: new Date() }).where(eq(clients.id, id)).returning();
      return row;
    },
    /** Ordered by id; the cursor is the last id seen. */
    async list(q: { afterId?: string; includeRevoked: boolean; limit: number }, tx: DbOrTx = db): Promise<ClientRow[]> {
      return tx.select().from(clients)
        .where(and(q.afterId ? gt(clients.id, q.afterId) : undefined, q.includeRevoked ? undefined : isNull(clients.revokedAt)))
        .orderBy(asc(clients.id)).limit(q.limit + 1);
    },
  };
}
