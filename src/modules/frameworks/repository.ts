import { asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { evaluationFrameworks, evaluations } from '../../db/schema/index.js';

export type FrameworkRow = typeof evaluationFrameworks.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const frameworkRepository = (db: DbOrTx) => ({
  /** `ref` is the framework's uuid or its code (API.md: `{frameworkId}` accepts both). */
  async findByRef(ref: string, tx: DbOrTx = db, lock?: 'update' | 'share'): Promise<FrameworkRow | null> {
    const where = UUID.test(ref) ? eq(evaluationFrameworks.id, ref.toLowerCase()) : eq(evaluationFrameworks.code, ref);
    const q = tx.select().from(evaluationFrameworks).where(where);
    const [row] = lock ? await q.for(lock) : await q;
    return row ?? null;
  },

  /** Several frameworks at once (one query), by id. */
  async findByIds(ids: string[], tx: DbOrTx = db): Promise<FrameworkRow[]> {
    if (!ids.length) return [];
    return tx.select().from(evaluationFrameworks).where(inArray(evaluationFrameworks.id, [...new Set(ids)]));
  },

  async findByCode(code: string, tx: DbOrTx = db): Promise<FrameworkRow | null> {
    const [row] = await tx.select().from(evaluationFrameworks).where(eq(evaluationFrameworks.code, code));
    return row ?? null;
  },

  async list(afterId: string | undefined, limit: number, tx: DbOrTx = db): Promise<FrameworkRow[]> {
    return tx.select().from(evaluationFrameworks)
      .where(afterId ? gt(evaluationFrameworks.id, afterId) : undefined)
      .orderBy(asc(evaluationFrameworks.id)).limit(limit + 1);
  },

  /** Whether any evaluation references the framework (then it is immutable). */
  async inUse(id: string, tx: DbOrTx = db): Promise<boolean> {
    const [row] = await tx.select({ one: sql<number>`1` }).from(evaluations).where(eq(evaluations.frameworkId, id)).limit(1);
    return Boolean(row);
  },

  async insert(values: typeof evaluationFrameworks.$inferInsert, tx: DbOrTx = db): Promise<FrameworkRow> {
    const [row] = await tx.insert(evaluationFrameworks).values(values).returning();
    return row;
  },

  async update(id: string, values: Partial<typeof evaluationFrameworks.$inferInsert>, tx: DbOrTx = db): Promise<FrameworkRow> {
    const [row] = await tx.update(evaluationFrameworks).set({ ...values, updatedAt: new Date() })
      .where(eq(evaluationFrameworks.id, id)).returning();
    return row;
  },

  async delete(id: string, tx: DbOrTx = db): Promise<void> {
    await tx.delete(evaluationFrameworks).where(eq(evaluationFrameworks.id, id)).returning({ id: evaluationFrameworks.id });
  },
});
