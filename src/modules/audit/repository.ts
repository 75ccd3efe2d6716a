import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { agencies, auditLog } from '../../db/schema/index.js';
import type { Actor } from '../../http/access.js';

export type AuditEntry = {
  action: string;
  entityType: string;
  entityId: string;
  agencyId?: string | null;
  before?: unknown;
  after?: unknown;
};

/** Writes the audit row of a change; call with the transaction that makes the change. */
export async function writeAudit(tx: DbOrTx, actor: Actor, entry: AuditEntry | AuditEntry[]): Promise<void> {
  const entries = Array.isArray(entry) ? entry : [entry];
  if (!entries.length) return;
  await tx.insert(auditLog).values(entries.map((e) => ({
    actor: actor.clientId,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    agencyId: e.agencyId ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
    requestId: actor.requestId,
  })));
}

export type AuditFilter = {
  entityType?: string; entityId?: string; actor?: string; since?: string; beforeId?: number; limit: number;
};

/** Newest first; the cursor is the last id seen. A caller scoped to an agency sees the audit of
 * that agency's subtree only. */
export async function listAudit(db: DbOrTx, f: AuditFilter, scopeAgencyId: string | null) {
  const where: SQL[] = [];
  if (scopeAgencyId) {
    where.push(sql`${auditLog.agencyId} IN (SELECT ${agencies.id} FROM ${agencies} WHERE ${agencies.path} @> ARRAY[${scopeAgencyId}::uuid])`);
  }
  if (f.entityType) where.push(eq(auditLog.entityType, f.entityType));
  if (f.entityId) where.push(eq(auditLog.entityId, f.entityId));
  if (f.actor) where.push(eq(auditLog.actor, f.actor));
  if (f.since) where.push(gte(auditLog.at, new Date(f.since)));
  if (f.beforeId !== undefined) where.push(lt(auditLog.id, f.beforeId));
  return db.select().from(auditLog).where(and(...where)).orderBy(desc(auditLog.id)).limit(f.limit + 1);
}
