import { and, asc, eq, gt, gte, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { agencies, indicators, plans } from '../../db/schema/index.js';
import { assertInScope, type Actor } from '../../http/access.js';

export type IndicatorRow = typeof indicators.$inferSelect;
export type IndicatorWithPlan = { indicator: IndicatorRow; agencyPath: string[]; agencyCode: string; startYear: number; endYear: number };

export async function findIndicator(tx: DbOrTx, id: string, forUpdate = false): Promise<IndicatorWithPlan | null> {
  const q = tx.select({
    indicator: indicators, agencyPath: agencies.path, agencyCode: agencies.code, startYear: plans.startYear, endYear: plans.endYear,
  }).from(indicators)
    .innerJoin(plans, eq(plans.id, indicators.planId))
    .innerJoin(agencies, eq(agencies.id, indicators.agencyId))
    .where(eq(indicators.id, id));
  const [row] = forUpdate ? await q.for('update', { of: indicators }) : await q;
  return row ?? null;
}

/** An indicator the caller may see, with its plan's years; outside the scope: 404. */
export async function visibleIndicator(tx: DbOrTx, actor: Actor, id: string, forUpdate = false): Promise<IndicatorWithPlan> {
  const row = await findIndicator(tx, id, forUpdate);
  assertInScope(actor, row?.agencyPath, 'Indicator');
  return row!;
}

export type IndicatorFilter = {
  type?: IndicatorRow['type']; isKey?: boolean; updatedSince?: string; elementId?: string; planId?: string; afterId?: string; limit: number;
};

export async function listIndicators(tx: DbOrTx, agencyId: string, f: IndicatorFilter): Promise<IndicatorRow[]> {
  const where: (SQL | undefined)[] = [eq(indicators.agencyId, agencyId)];
  if (f.type) where.push(eq(indicators.type, f.type));
  if (f.isKey !== undefined) where.push(eq(indicators.isKey, f.isKey));
  if (f.updatedSince) where.push(gte(indicators.updatedAt, new Date(f.updatedSince)));
  if (f.elementId) where.push(eq(indicators.elementId, f.elementId));
  if (f.planId) where.push(eq(indicators.planId, f.planId));
  if (f.afterId) where.push(gt(indicators.id, f.afterId));
  return tx.select().from(indicators).where(and(...where)).orderBy(asc(indicators.id)).limit(f.limit + 1);
}
