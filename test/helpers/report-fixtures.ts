/**
 * Report test data written straight into the tables with drizzle (real database), so report tests
 * do not depend on the planning and measurement APIs.
 */
import type { Db } from '../../src/db/client.js';
import {
  agreementItems, agreements, budgets, elements, indicators, measurements, plans, targets,
} from '../../src/db/schema/index.js';

type Level = (typeof elements.$inferInsert)['level'];
type IndicatorInput = Partial<Omit<typeof indicators.$inferInsert, 'elementId' | 'planId' | 'agencyId'>> & { code: string };
type Status = 'submitted' | 'verified' | 'returned';

export function reportFixtures(db: Db) {
  return {
    async plan(agencyId: string, p: { startYear: number; endYear: number; kind?: 'rpjmd' | 'renstra'; title?: string }) {
      const [row] = await db.insert(plans).values({ agencyId, kind: p.kind ?? 'renstra', title: p.title ?? 'Renstra', startYear: p.startYear, endYear: p.endYear }).returning();
      return row;
    },

    async element(plan: { id: string; agencyId: string }, e: { level: Level; code: string; title?: string; parentId?: string | null; supports?: string[] }) {
      const [row] = await db.insert(elements).values({
        planId: plan.id, agencyId: plan.agencyId, parentId: e.parentId ?? null, level: e.level, code: e.code,
        title: e.title ?? `${e.level} ${e.code}`, supports: e.supports ?? [],
      }).returning();
      return row;
    },

    async indicator(element: { id: string; planId: string; agencyId: string }, i: IndicatorInput) {
      const [row] = await db.insert(indicators).values({
        name: `Indicator ${i.code}`, type: 'outcome', unit: '%', polarity: 'higher_is_better', aggregation: 'sum',
        ...i, elementId: element.id, planId: element.planId, agencyId: element.agencyId,
      }).returning();
      return row;
    },

    /** `{ '2025': '100', '2025Q1': '25' }` */
    async targets(indicatorId: string, byPeriod: Record<string, string | number>) {
      const rows = Object.entries(byPeriod).map(([period, value]) => ({ indicatorId, period, value: String(value), updatedBy: 'fixture' }));
      if (rows.length) await db.insert(targets).values(rows);
    },

    async measurements(indicator: { id: string; agencyId: string }, rows: Array<{ period: string; value: string | number; status?: Status }>) {
      if (!rows.length) return;
      await db.insert(measurements).values(rows.map((m) => ({
        indicatorId: indicator.id, agencyId: indicator.agencyId, period: m.period, value: String(m.value), status: m.status ?? 'submitted', updatedBy: 'fixture',
      })));
    },

    async agreement(agencyId: string, year: number, version: number, status: 'draft' | 'signed', items: Array<{ indicatorId: string; target: string | number }>) {
      await db.insert(agreements).values({
        agencyId, year, version, status, signedBy: status === 'signed' ? 'Kepala Dinas' : null, signedAt: status === 'signed' ? new Date() : null,
      });
      if (items.length) await db.insert(agreementItems).values(items.map((i) => ({ agencyId, year, version, indicatorId: i.indicatorId, target: String(i.target) })));
    },

    async budget(elementId: string, year: number, allocated: string | number, realized: string | number) {
      await db.insert(budgets).values({ elementId, year, allocated: String(allocated), realized: String(realized), updatedBy: 'fixture' });
    },
  };
}
