import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { targets } from '../../db/schema/index.js';
import type { TargetValue } from './schemas.js';

export type TargetRow = typeof targets.$inferSelect;

const key = (indicatorId: string, period: string) => and(eq(targets.indicatorId, indicatorId), eq(targets.period, period));

export const targetRepository = {
  async listOf(tx: DbOrTx, indicatorId: string): Promise<TargetRow[]> {
    return tx.select().from(targets).where(eq(targets.indicatorId, indicatorId)).orderBy(asc(targets.period));
  },

  async find(tx: DbOrTx, indicatorId: string, period: string, forUpdate = false): Promise<TargetRow | null> {
    const q = tx.select().from(targets).where(key(indicatorId, period));
    const [row] = forUpdate ? await q.for('update') : await q;
    return row ?? null;
  },

  async upsert(tx: DbOrTx, indicatorId: string, period: string, t: TargetValue, by: string): Promise<TargetRow> {
    const set = { value: t.value, minValue: t.min, maxValue: t.max, updatedAt: new Date(), updatedBy: by };
    const [row] = await tx.insert(targets).values({ indicatorId, period, ...set })
      .onConflictDoUpdate({ target: [targets.indicatorId, targets.period], set }).returning();
    return row;
  },
};
