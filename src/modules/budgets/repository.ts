import { and, asc, eq, gt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { budgets } from '../../db/schema/index.js';

export type BudgetRow = typeof budgets.$inferSelect;

const key = (elementId: string, year: number) => and(eq(budgets.elementId, elementId), eq(budgets.year, year));

export const budgetRepository = {
  async find(tx: DbOrTx, elementId: string, year: number, forUpdate = false): Promise<BudgetRow | null> {
    const q = tx.select().from(budgets).where(key(elementId, year));
    const [row] = forUpdate ? await q.for('update') : await q;
    return row ?? null;
  },

  /** `limit + 1` budgets of an element after `afterYear`, by year. */
  async list(tx: DbOrTx, elementId: string, afterYear: number | undefined, limit: number): Promise<BudgetRow[]> {
    return tx.select().from(budgets)
      .where(and(eq(budgets.elementId, elementId), afterYear === undefined ? undefined : gt(budgets.year, afterYear)))
      .orderBy(asc(budgets.year)).limit(limit + 1);
  },

  async upsert(tx: DbOrTx, elementId: string, year: number, v: { allocated: string; realized: string }, by: string): Promise<BudgetRow> {
    const set = { ...v, updatedAt: new Date(), updatedBy: by };
    const [row] = await tx.insert(budgets).values({ elementId, year, ...set })
      .onConflictDoUpdate({ target: [budgets.elementId, budgets.year], set }).returning();
    return row;
  },
};
