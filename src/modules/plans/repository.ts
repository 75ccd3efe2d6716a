import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../../db/client.js';
import { agencies, crosscuttingLinks, elements, plans } from '../../db/schema/index.js';
import type { Actor } from '../../http/access.js';
import { assertInScope } from '../../http/access.js';

export type PlanRow = typeof plans.$inferSelect;
export type ElementRow = typeof elements.$inferSelect;
export type PlanWithPath = PlanRow & { agencyPath: string[] };
export type ElementWithPlan = { element: ElementRow; agencyPath: string[]; startYear: number; endYear: number };

/** A plan with its agency's path (for the scope check), or null. */
export async function findPlan(tx: DbOrTx, id: string, forUpdate = false): Promise<PlanWithPath | null> {
  const q = tx.select({ plan: plans, path: agencies.path }).from(plans)
    .innerJoin(agencies, eq(agencies.id, plans.agencyId)).where(eq(plans.id, id));
  const [row] = forUpdate ? await q.for('update', { of: plans }) : await q;
  return row ? { ...row.plan, agencyPath: row.path } : null;
}

/** A plan the caller may see; outside the scope it does not exist (404). */
export async function visiblePlan(tx: DbOrTx, actor: Actor, id: string, forUpdate = false): Promise<PlanWithPath> {
  const plan = await findPlan(tx, id, forUpdate);
  assertInScope(actor, plan?.agencyPath, 'Plan');
  return plan!;
}

export async function findElement(tx: DbOrTx, id: string, forUpdate = false): Promise<ElementWithPlan | null> {
  const q = tx.select({ element: elements, agencyPath: agencies.path, startYear: plans.startYear, endYear: plans.endYear })
    .from(elements)
    .innerJoin(plans, eq(plans.id, elements.planId))
    .innerJoin(agencies, eq(agencies.id, elements.agencyId))
    .where(eq(elements.id, id));
  const [row] = forUpdate ? await q.for('update', { of: elements }) : await q;
  return row ?? null;
}

export async function visibleElement(tx: DbOrTx, actor: Actor, id: string, forUpdate = false): Promise<ElementWithPlan> {
  const row = await findElement(tx, id, forUpdate);
  assertInScope(actor, row?.agencyPath, 'Element');
  return row!;
}

export async function listPlans(tx: DbOrTx, agencyId: string, f: { kind?: PlanRow['kind']; afterId?: string; limit: number }) {
  const where: (SQL | undefined)[] = [eq(plans.agencyId, agencyId)];
  if (f.kind) where.push(eq(plans.kind, f.kind));
  if (f.afterId) where.push(gt(plans.id, f.afterId));
  return tx.select().from(plans).where(and(...where)).orderBy(asc(plans.id)).limit(f.limit + 1);
}

/** Elements named by `ids` with their agency's path: for cascading (`supports`) checks. */
export async function elementsWithAgencyPath(tx: DbOrTx, ids: string[]) {
  if (!ids.length) return [];
  return tx.select({ id: elements.id, agencyId: elements.agencyId, agencyPath: agencies.path }).from(elements)
    .innerJoin(agencies, eq(agencies.id, elements.agencyId)).where(inArray(elements.id, ids));
}

/** The ids of `rootId` and every element below it (one recursive query). */
export async function subtreeIds(tx: DbOrTx, rootId: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(tx, sql`
    WITH RECURSIVE sub AS (
      SELECT id FROM ${elements} WHERE id = ${rootId}::uuid
      UNION ALL
      SELECT e.id FROM ${elements} e JOIN sub ON e.parent_id = sub.id
    ) SELECT id FROM sub`);
  return rows.map((r) => r.id);
}

/** Years (as numbers) that carry targets, measurements or budgets for a plan's elements/indicators. */
export async function usedYears(tx: DbOrTx, planId: string): Promise<number[]> {
  const rows = await queryRows<{ year: number }>(tx, sql`
    SELECT DISTINCT substr(t.period, 1, 4)::int AS year FROM targets t JOIN indicators i ON i.id = t.indicator_id WHERE i.plan_id = ${planId}::uuid
    UNION SELECT DISTINCT substr(m.period, 1, 4)::int FROM measurements m JOIN indicators i ON i.id = m.indicator_id WHERE i.plan_id = ${planId}::uuid
    UNION SELECT DISTINCT b.year FROM budgets b JOIN elements e ON e.id = b.element_id WHERE e.plan_id = ${planId}::uuid`);
  return rows.map((r) => Number(r.year));
}

/** Pending and accepted crosscutting links touching the elements of a plan (for the tree). */
export async function crosscuttingOfPlan(tx: DbOrTx, planId: string) {
  const ofPlan = sql`(SELECT id FROM ${elements} WHERE plan_id = ${planId}::uuid)`;
  return tx.select().from(crosscuttingLinks).where(sql`${crosscuttingLinks.status} <> 'rejected'
    AND (${crosscuttingLinks.fromElementId} IN ${ofPlan} OR ${crosscuttingLinks.toElementId} IN ${ofPlan})`).orderBy(asc(crosscuttingLinks.id));
}
