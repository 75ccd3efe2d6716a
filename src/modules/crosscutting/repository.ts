import { and, asc, eq, gt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { agencies, crosscuttingLinks, elements } from '../../db/schema/index.js';

export type LinkRow = typeof crosscuttingLinks.$inferSelect;

export const crosscuttingRepository = {
  /** An element with its agency's path (for the ancestor rule and scope). */
  async elementWithPath(tx: DbOrTx, id: string) {
    const [row] = await tx.select({ id: elements.id, agencyId: elements.agencyId, agencyPath: agencies.path })
      .from(elements).innerJoin(agencies, eq(agencies.id, elements.agencyId)).where(eq(elements.id, id));
    return row ?? null;
  },

  async openLink(tx: DbOrTx, fromElementId: string, toElementId: string): Promise<LinkRow | null> {
    const [row] = await tx.select().from(crosscuttingLinks).where(and(
      eq(crosscuttingLinks.fromElementId, fromElementId), eq(crosscuttingLinks.toElementId, toElementId), ne(crosscuttingLinks.status, 'rejected')));
    return row ?? null;
  },

  async insert(tx: DbOrTx, values: typeof crosscuttingLinks.$inferInsert): Promise<LinkRow> {
    const [row] = await tx.insert(crosscuttingLinks).values(values).returning();
    return row;
  },

  /** A link with both agencies' paths, locked for a decision. */
  async findWithPaths(tx: DbOrTx, id: string, forUpdate = false) {
    const q = tx.select({
      link: crosscuttingLinks,
      fromPath: sql<string[]>`(SELECT path FROM agencies WHERE id = ${crosscuttingLinks.fromAgencyId})`,
      toPath: sql<string[]>`(SELECT path FROM agencies WHERE id = ${crosscuttingLinks.toAgencyId})`,
    }).from(crosscuttingLinks).where(eq(crosscuttingLinks.id, id));
    const [row] = forUpdate ? await q.for('update') : await q;
    return row ?? null;
  },

  async decide(tx: DbOrTx, id: string, set: Pick<LinkRow, 'status' | 'reason' | 'decidedBy'>): Promise<LinkRow> {
    const now = new Date();
    const [row] = await tx.update(crosscuttingLinks).set({ ...set, decidedAt: now, updatedAt: now }).where(eq(crosscuttingLinks.id, id)).returning();
    return row;
  },

  async list(tx: DbOrTx, agencyId: string, f: { direction?: 'incoming' | 'outgoing'; status?: LinkRow['status']; afterId?: string; limit: number }) {
    const side = f.direction === 'incoming' ? eq(crosscuttingLinks.toAgencyId, agencyId)
      : f.direction === 'outgoing' ? eq(crosscuttingLinks.fromAgencyId, agencyId)
        : or(eq(crosscuttingLinks.toAgencyId, agencyId), eq(crosscuttingLinks.fromAgencyId, agencyId));
    const where: (SQL | undefined)[] = [side];
    if (f.status) where.push(eq(crosscuttingLinks.status, f.status));
    if (f.afterId) where.push(gt(crosscuttingLinks.id, f.afterId));
    return tx.select().from(crosscuttingLinks).where(and(...where)).orderBy(asc(crosscuttingLinks.id)).limit(f.limit + 1);
  },
};
