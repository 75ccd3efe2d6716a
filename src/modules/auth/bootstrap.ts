import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { newId } from '../../db/schema/columns.js';
import { auditLog, clients } from '../../db/schema/index.js';
import { hashSecret, newClientSecret, verifySecret } from './secrets.js';

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

/** Where the first start leaves the credentials of the admin it made (in SAKIP_DATA_DIR). */
export const INITIAL_ADMIN_FILE = 'initial-admin.json';

/**
 * Never locked out: with no active admin client and no SAKIP_BOOTSTRAP_CLIENT_*, creates an admin
 * and writes its credentials to `<dataDir>/initial-admin.json` (mode 0600). The file is written
 * inside the transaction, so a directory that cannot take it leaves no admin whose secret is lost.
 * Call under the startup lock: several processes starting together make one admin.
 * Answers the file written, or null when an admin already exists.
 */
export async function ensureInitialAdmin(db: Db, dataDir: string): Promise<string | null> {
  const [admin] = await db.select({ id: clients.id }).from(clients)
    .where(and(eq(clients.role, 'admin'), isNull(clients.revokedAt))).limit(1);
  if (admin) return null;
  const clientId = `admin-${newId().slice(-12)}`;
  const clientSecret = newClientSecret();
  const secretHash = await hashSecret(clientSecret);
  const file = resolve(dataDir, INITIAL_ADMIN_FILE);
  await db.transaction(async (tx) => {
    const [row] = await tx.insert(clients).values({ clientId, secretHash, name: 'Initial admin', role: 'admin' }).returning();
    await tx.insert(auditLog).values({
      actor: 'system', action: 'client.initial-admin', entityType: 'client', entityId: row.id,
      after: { id: row.id, clientId, role: 'admin', credentialsFile: file },
    });
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify({ clientId, clientSecret }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600); // the mode above applies only to a new file
  });
  return file;
}
