import { elements, indicators, plans } from '../../src/db/schema/index.js';
import { newId } from '../../src/db/schema/columns.js';
import type { TestApp } from './app.js';
import { uniq } from './app.js';

export type IndicatorFixture = { id: string; code: string };
export type PlanFixture = {
  agencyId: string; agencyCode: string; planId: string; elementId: string; indicators: IndicatorFixture[];
};

/**
 * An agency's plan (default 2020-2029), one objective and `count` indicators, inserted directly
 * with drizzle so the measurement tests do not depend on the planning API. Many indicators go in
 * with one multi-row insert per 1,000.
 */
export async function planFixture(
  t: Pick<TestApp, 'app'>,
  agency: { id: string; code: string },
  opts: { count?: number; startYear?: number; endYear?: number } = {},
): Promise<PlanFixture> {
  const db = t.app.db;
  const [plan] = await db.insert(plans).values({
    agencyId: agency.id, kind: 'renstra', title: 'Renstra Uji', startYear: opts.startYear ?? 2020, endYear: opts.endYear ?? 2029,
  }).returning();
  const [element] = await db.insert(elements).values({
    planId: plan.id, agencyId: agency.id, level: 'objective', code: uniq('S'), title: 'Meningkatnya kualitas layanan',
  }).returning();
  const count = opts.count ?? 3;
  const list: IndicatorFixture[] = Array.from({ length: count }, (_, i) => ({ id: newId(), code: `IKU-${i + 1}` }));
  for (let i = 0; i < list.length; i += 1000) {
    await db.insert(indicators).values(list.slice(i, i + 1000).map((ind) => ({
      id: ind.id, elementId: element.id, planId: plan.id, agencyId: agency.id, code: ind.code,
      name: `Indeks kepuasan masyarakat ${ind.code}`, type: 'outcome' as const, unit: '%',
      polarity: 'higher_is_better' as const, aggregation: 'last' as const,
    })));
  }
  return { agencyId: agency.id, agencyCode: agency.code, planId: plan.id, elementId: element.id, indicators: list };
}
