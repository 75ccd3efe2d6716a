import { and, asc, count, eq, gt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { agencies, followUps, recommendations, recommendationStatusChanges } from '../../db/schema/index.js';

export type RecommendationRow = typeof recommendations.$inferSelect;
export type FollowUpRow = typeof followUps.$inferSelect;
export type StatusChangeRow = typeof recommendationStatusChanges.$inferSelect;
type Status = RecommendationRow['status'];

export const recommendationRepository = (db: DbOrTx) => ({
  /** The recommendation and its agency's path (for the scope check); `lock` serialises writers. */
  async findById(id: string, tx: DbOrTx = db, lock = false): Promise<{ row: RecommendationRow; agencyPath: string[] } | null> {
    const q = tx.select({ row: recommendations, agencyPath: agencies.path }).from(recommendations)
      .innerJoin(agencies, eq(agencies.id, recommendations.agencyId)).where(eq(recommendations.id, id));
    const [hit] = lock ? await q.for('update', { of: recommendations }) : await q;
    return hit ?? null;
  },

  async listByAgency(agencyId: string, f: { status?: Status; year?: number; afterId?: string; limit: number }, tx: DbOrTx = db) {
    return tx.select().from(recommendations).where(and(
      eq(recommendations.agencyId, agencyId),
      f.status ? eq(recommendations.status, f.status) : undefined,
      f.year !== undefined ? eq(recommendations.year, f.year) : undefined,
      f.afterId ? gt(recommendations.id, f.afterId) : undefined,
    )).orderBy(asc(recommendations.id)).limit(f.limit + 1);
  },

  /** Counts by status and due date, for the follow-up summary (overdue is decided by the domain rule). */
  async countsByStatusAndDue(agencyId: string, year: number, tx: DbOrTx = db) {
    return tx.select({ status: recommendations.status, dueDate: recommendations.dueDate, n: count() }).from(recommendations)
      .where(and(eq(recommendations.agencyId, agencyId), eq(recommendations.year, year)))
      .groupBy(recommendations.status, recommendations.dueDate);
  },

  async insert(values: typeof recommendations.$inferInsert, tx: DbOrTx = db): Promise<RecommendationRow> {
    const [row] = await tx.insert(recommendations).values(values).returning();
    return row;
  },

  async setStatus(id: string, status: Status, tx: DbOrTx): Promise<RecommendationRow> {
    const [row] = await tx.update(recommendations).set({ status, updatedAt: new Date() }).where(eq(recommendations.id, id)).returning();
    return row;
  },

  async insertStatusChange(values: typeof recommendationStatusChanges.$inferInsert, tx: DbOrTx): Promise<StatusChangeRow> {
    const [row] = await tx.insert(recommendationStatusChanges).values(values).returning();
    return row;
  },

  async statusChanges(recommendationId: string, tx: DbOrTx = db): Promise<StatusChangeRow[]> {
    return tx.select().from(recommendationStatusChanges)
      .where(eq(recommendationStatusChanges.recommendationId, recommendationId)).orderBy(asc(recommendationStatusChanges.id));
  },

  async insertFollowUp(values: typeof followUps.$inferInsert, tx: DbOrTx): Promise<FollowUpRow> {
    const [row] = await tx.insert(followUps).values(values).returning();
    return row;
  },

  async listFollowUps(recommendationId: string, f: { afterId?: string; limit: number }, tx: DbOrTx = db): Promise<FollowUpRow[]> {
    return tx.select().from(followUps).where(and(
      eq(followUps.recommendationId, recommendationId), f.afterId ? gt(followUps.id, f.afterId) : undefined,
    )).orderBy(asc(followUps.id)).limit(f.limit + 1);
  },
});
