import { and, inArray, sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../../db/client.js';
import { periodLocks } from '../../db/schema/index.js';
import { periodLocked } from '../../http/problem.js';

/** The lock periods that cover `period`: a quarter is locked by itself or by its year. */
export function coveringPeriods(period: string): string[] {
  const year = period.slice(0, 4);
  return period === year ? [year] : [year, period];
}

/** Which of the (agencyId, period) pairs are locked; answers a Set of `${agencyId}|${period}`.
 * One query for a whole batch. Run it inside the writing transaction. */
export async function lockedPairs(tx: DbOrTx, pairs: Array<{ agencyId: string; period: string }>): Promise<Set<string>> {
  const locked = new Set<string>();
  if (!pairs.length) return locked;
  const agencyIds = [...new Set(pairs.map((p) => p.agencyId))];
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

/** Throws `period-locked` (409) when the agency's period (or its year) is locked. Share-locks the
 * lock rows it reads so that a concurrent lock waits for this write to commit. */
export async function assertPeriodOpen(tx: DbOrTx, agencyId: string, period: string): Promise<void> {
  const rows = await queryRows(tx, sql`
    SELECT period FROM ${periodLocks}
    WHERE agency_id = ${agencyId}::uuid AND period IN (${sql.join(coveringPeriods(period).map((p) => sql`${p}`), sql`, `)})
    FOR SHARE`);
  if (rows.length) throw periodLocked(period);
}

export async function assertYearOpen(tx: DbOrTx, agencyId: string, year: number): Promise<void> {
  return assertPeriodOpen(tx, agencyId, String(year));
}
