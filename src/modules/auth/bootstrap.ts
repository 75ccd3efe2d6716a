import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { auditLog, clients } from '../../db/schema/index.js';
import { hashSecret, verifySecret } from './secrets.js';

/** Makes sure the bootstrap admin of SAKIP_BOOTSTRAP_CLIENT_ID/SECRET exists with that secret. */
export async function ensureBootstrapAdmin(db: Db, clientId: string, secret: string): Promise<void> {
  const [existing] = await db.select().from(clients).where(eq(clients.clientId, clientId));
  if (existing && existing.role === 'admin' && !existing.revokedAt && (await verifySecret(secret, existing.secretHash))) return;
  const secretHash = await hashSecret(secret);
  await db.transaction(async (tx) => {
    const [row] = existing
      ? await tx.update(clients).set({ secretHash, role: 'admin', agencyId: null, revokedAt: null }).where(eq(clients.id, existing.id)).returning()
      : await tx.insert(clients).values({ clientId, secretHash, name: 'Bootstrap admin', role: 'admin' }).returning();
    await tx.insert(auditLog).values({
      actor: 'system', action: existing ? 'client.bootstrap-reset' : 'client.bootstrap', entityType: 'client', entityId: row.id,
      after: { id: row.id, clientId, role: 'admin' },
    });
  });
}
