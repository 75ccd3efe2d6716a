import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../../db/client.js';
import { actionPlanItems, actionPlans, agreementItems, agreements, indicators, plans, targets } from '../../db/schema/index.js';
import type { TargetRange } from '../../domain/achievement.js';
import { itemTarget } from '../agreements/service.js';

export type ActionPlanRow = typeof actionPlans.$inferSelect;
export type ActionPlanItemRow = typeof actionPlanItems.$inferSelect;
type Key = { agencyId: string; year: number };

const planKey = (k: Key) => and(eq(actionPlans.agencyId, k.agencyId), eq(actionPlans.year, k.year));

export const actionPlanRepository = {
  async latest(tx: DbOrTx, k: Key, forUpdate = false): Promise<ActionPlanRow | null> {
    const q = tx.select().from(actionPlans).where(planKey(k)).orderBy(desc(actionPlans.version)).limit(1);
    const [row] = forUpdate ? await q.for('update') : await q;
    return row ?? null;
  },

  /** `limit + 1` versions after `afterVersion`, oldest first. */
  async versions(tx: DbOrTx, k: Key, afterVersion: number | undefined, limit: number): Promise<ActionPlanRow[]> {
    return tx.select().from(actionPlans)
      .where(and(planKey(k), afterVersion === undefined ? undefined : gt(actionPlans.version, afterVersion)))
      .orderBy(asc(actionPlans.version)).limit(limit + 1);
  },

  async items(tx: DbOrTx, k: Key, versions: number[]): Promise<ActionPlanItemRow[]> {
    if (!versions.length) return [];
    return tx.select().from(actionPlanItems)
      .where(and(eq(actionPlanItems.agencyId, k.agencyId), eq(actionPlanItems.year, k.year), inArray(actionPlanItems.version, versions)))
      .orderBy(asc(actionPlanItems.version), asc(actionPlanItems.position));
  },

  async insertVersion(tx: DbOrTx, k: Key, version: number): Promise<void> {
    await tx.insert(actionPlans).values({ ...k, version, status: 'draft' });
  },

  async replaceItems(tx: DbOrTx, k: Key, version: number, items: Array<Omit<ActionPlanItemRow, 'agencyId' | 'year' | 'version'>>): Promise<void> {
    await tx.delete(actionPlanItems).where(and(eq(actionPlanItems.agencyId, k.agencyId), eq(actionPlanItems.year, k.year), eq(actionPlanItems.version, version)));
    for (let i = 0; i < items.length; i += 1000) {
      await tx.insert(actionPlanItems).values(items.slice(i, i + 1000).map((it) => ({ ...k, version, ...it })));
    }
  },

  async update(tx: DbOrTx, k: Key, version: number, set: Partial<ActionPlanRow>): Promise<void> {
    await tx.update(actionPlans).set({ ...set, updatedAt: new Date() }).where(and(planKey(k), eq(actionPlans.version, version)));
  },

  /** The agency's indicators among `ids` with their plan's years and aggregation. */
  async indicatorsOf(tx: DbOrTx, agencyId: string, ids: string[]) {
    if (!ids.length) return [];
    return tx.select({ id: indicators.id, aggregation: indicators.aggregation, start: plans.startYear, end: plans.endYear })
      .from(indicators).innerJoin(plans, eq(plans.id, indicators.planId))
      .where(and(eq(indicators.agencyId, agencyId), inArray(indicators.id, ids)));
  },

  /** The annual target each indicator should reach: the latest signed agreement version's item,
   * else the indicator's own annual target (a value or a range). */
  async annualTargets(tx: DbOrTx, k: Key, ids: string[]): Promise<Map<string, string | TargetRange>> {
    const out = new Map<string, string | TargetRange>();
    if (!ids.length) return out;
    const own = await tx.select().from(targets).where(and(inArray(targets.indicatorId, ids), eq(targets.period, String(k.year))));
    for (const t of own) out.set(t.indicatorId, t.value !== null ? t.value : { min: t.minValue!, max: t.maxValue! });
    const signed = await queryRows<{ version: number }>(tx, sql`
      SELECT version FROM ${agreements} WHERE agency_id = ${k.agencyId}::uuid AND year = ${k.year} AND status = 'signed'
      ORDER BY version DESC LIMIT 1`);
    if (signed.length) {
      const items = await tx.select().from(agreementItems).where(and(
        eq(agreementItems.agencyId, k.agencyId), eq(agreementItems.year, k.year), eq(agreementItems.version, signed[0].version),
        inArray(agreementItems.indicatorId, ids)));
      for (const i of items) out.set(i.indicatorId, itemTarget(i));
    }
    return out;
  },
};
