import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../../db/client.js';
import { periodLocks } from '../../db/schema/index.js';

export type LockRow = typeof periodLocks.$inferSelect;

/** The lock periods that cover `period`: a quarter is locked by itself or by its year. */
export function coveringPeriods(period: string): string[] {
  const year = period.slice(0, 4);
  return period === year ? [year] : [year, period];
}

/** Writers take a KEY SHARE lock on the agency rows they write for; `lock()` takes FOR UPDATE on
 * the agency first. So a lock created while a write is in flight waits for that write to commit,
 * and a write that starts after a lock was taken waits for it and then sees the lock row. */
async function shareAgencies(tx: DbOrTx, agencyIds: string[]): Promise<void> {
  if (!agencyIds.length) return;
  const sorted = [...agencyIds].sort();
  await queryRows(tx, sql`SELECT id FROM agencies WHERE id = ANY(${sql.param(sorted)}::uuid[]) ORDER BY id FOR KEY SHARE`);
}

/** Which of the (agencyId, period) pairs are locked; answers a Set of `${agencyId}|${period}`.
 * One query for a whole batch. Run it inside the writing transaction. */
export async function lockedPairs(tx: DbOrTx, pairs: Array<{ agencyId: string; period: string }>): Promise<Set<string>> {
  const locked = new Set<string>();
  if (!pairs.length) return locked;
  const agencyIds = [...new Set(pairs.map((p) => p.agencyId))];
  await shareAgencies(tx, agencyIds);
  const periods = [...new Set(pairs.flatMap((p) => coveringPeriods(p.period)))];
  const rows = await tx.select({ agencyId: periodLocks.agencyId, period: periodLocks.period }).from(periodLocks)
    .where(and(inArray(periodLocks.agencyId, agencyIds), inArray(periodLocks.period, periods)));
  if (!rows.length) return locked;
  const held = new Set(rows.map((r) => `${r.agencyId}|${r.period}`));
  for (const p of pairs) {
    if (coveringPeriods(p.period).some((c) => held.has(`${p.agencyId}|${c}`))) locked.add(`${p.agencyId}|${p.period}`);
  }
  return locked;
}

/** Lock CRUD used by the locks routes. */
export const lockRepository = {
  async find(tx: DbOrTx, agencyId: string, period: string): Promise<LockRow | null> {
    const [row] = await tx.select().from(periodLocks)
      .where(and(eq(periodLocks.agencyId, agencyId), eq(periodLocks.period, period)));
    return row ?? null;
  },

  /** The lock that makes `period` locked: its own, or its year's. */
  async findCovering(tx: DbOrTx, agencyId: string, period: string): Promise<LockRow | null> {
    const rows = await tx.select().from(periodLocks)
      .where(and(eq(periodLocks.agencyId, agencyId), inArray(periodLocks.period, coveringPeriods(period))));
    return rows.find((r) => r.period === period) ?? rows[0] ?? null;
  },

  /** Inserts the lock unless it exists; answers the new row or null. Waits for in-flight writers
   * of the agency (see shareAgencies). */
  async lock(tx: DbOrTx, values: typeof periodLocks.$inferInsert): Promise<LockRow | null> {
    await queryRows(tx, sql`SELECT id FROM agencies WHERE id = ${values.agencyId}::uuid FOR UPDATE`);
    const [row] = await tx.insert(periodLocks).values(values).onConflictDoNothing().returning();
    return row ?? null;
  },

  async unlock(tx: DbOrTx, agencyId: string, period: string): Promise<LockRow | null> {
    const [row] = await tx.delete(periodLocks)
      .where(and(eq(periodLocks.agencyId, agencyId), eq(periodLocks.period, period))).returning();
    return row ?? null;
  },

  /** Ordered by period; the cursor is the last period seen. */
  async list(tx: DbOrTx, agencyId: string, afterPeriod: string | undefined, limit: number): Promise<LockRow[]> {
    return tx.select().from(periodLocks)
      .where(and(eq(periodLocks.agencyId, agencyId), afterPeriod ? gt(periodLocks.period, afterPeriod) : undefined))
      .orderBy(asc(periodLocks.period)).limit(limit + 1);
  },
};
