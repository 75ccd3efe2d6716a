import { and, asc, desc, eq, gt, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import {
  agencies, agreementItems, agreements, budgets, elements, indicators, measurements, plans, targets,
} from '../../db/schema/index.js';

export type ReportAgency = Pick<typeof agencies.$inferSelect, 'id' | 'code' | 'name' | 'kind' | 'path'>;

/** Everything a batch of agency reports for one year is assembled from (compute.ts). */
export type ReportRows = {
  /** Elements of the agencies' plans that cover the year, with their plan's years. */
  elements: Array<{
    id: string; planId: string; agencyId: string; parentId: string | null; level: string;
    code: string; title: string; supports: string[]; planStartYear: number; planEndYear: number;
  }>;
  /** Indicators attached to objectives of those plans. */
  indicators: Array<Pick<typeof indicators.$inferSelect,
    'id' | 'elementId' | 'planId' | 'agencyId' | 'code' | 'name' | 'type' | 'unit' | 'polarity' | 'aggregation' | 'isKey'>>;
  /** Targets of the year, its quarters, the two previous years and the plan's end year. */
  targets: Array<{ indicatorId: string; period: string; value: string }>;
  /** Measurements (every status) of the year, the two previous years and their quarters. */
  measurements: Array<{ indicatorId: string; period: string; value: string; status: string }>;
  /** The latest signed agreement version per agency and year (year and the two before), with its
   * items; `indicatorId` is null for a signed version that lists nothing. */
  agreementItems: Array<{ agencyId: string; year: number; version: number; indicatorId: string | null; target: string | null }>;
  /** Budget rows of the year for those plans' elements. */
  budgets: Array<{ elementId: string; allocated: string; realized: string }>;
};

/** The report's years: the year itself and the two previous ones (DOMAIN.md "Report"). */
export const reportYears = (year: number) => [year, year - 1, year - 2];

const anyUuid = (col: AnyColumn, ids: string[]) => sql`${col} = ANY(${sql.param(ids)}::uuid[])`;

/** Runs drizzle queries (lazy thenables) concurrently or in order. */
async function runAll<T extends readonly PromiseLike<unknown>[]>(concurrent: boolean, queries: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  if (concurrent) return Promise.all(queries) as any;
  const out: unknown[] = [];
  for (const q of queries) out.push(await q);
  return out as any;
}

export const reportRepository = (db: DbOrTx) => ({
  async findAgency(id: string, tx: DbOrTx = db): Promise<ReportAgency | null> {
    const [row] = await tx.select({ id: agencies.id, code: agencies.code, name: agencies.name, kind: agencies.kind, path: agencies.path })
      .from(agencies).where(eq(agencies.id, id));
    return row ?? null;
  },

  /** One keyset page of agencies (ordered by id), `limit + 1` rows so the caller knows if more follow. */
  async listAgencies(f: { scope?: SQL; kind?: string; parentId?: string; afterId?: string; limit: number }, tx: DbOrTx = db): Promise<ReportAgency[]> {
    const where: (SQL | undefined)[] = [f.scope];
    if (f.kind) where.push(eq(agencies.kind, f.kind as ReportAgency['kind']));
    if (f.parentId) where.push(eq(agencies.parentId, f.parentId));
    if (f.afterId) where.push(gt(agencies.id, f.afterId));
    return tx.select({ id: agencies.id, code: agencies.code, name: agencies.name, kind: agencies.kind, path: agencies.path })
      .from(agencies).where(and(...where)).orderBy(asc(agencies.id)).limit(f.limit + 1);
  },

  /**
   * Loads the report data of many agencies for one year in six set-based queries, whatever the
   * number of agencies, indicators or elements. The queries are independent (each joins down from
   * the agency ids), so they run concurrently on a pool.
   */
  async load(agencyIds: string[], year: number, tx: DbOrTx = db): Promise<ReportRows> {
    if (!agencyIds.length) return { elements: [], indicators: [], targets: [], measurements: [], agreementItems: [], budgets: [] };
    const covers = and(anyUuid(plans.agencyId, agencyIds), sql`${plans.startYear} <= ${year}`, sql`${plans.endYear} >= ${year}`);
    const years = reportYears(year);
    const quarterPeriods = years.flatMap((y) => [1, 2, 3, 4].map((q) => `${y}Q${q}`));
    const targetPeriods = [String(year), ...quarterPeriods.slice(0, 4), String(year - 1), String(year - 2)];
    const measurementPeriods = [...years.map(String), ...quarterPeriods];

    // Indicators of objectives of covering plans; shared by the target and measurement queries.
    // Filtering on indicators.agency_id lets PostgreSQL start from that index, not from elements.
    const objectiveIndicators = (t: DbOrTx) => t.select({ id: indicators.id, planEndYear: plans.endYear }).from(indicators)
      .innerJoin(elements, eq(elements.id, indicators.elementId))
      .innerJoin(plans, eq(plans.id, elements.planId))
      .where(and(anyUuid(indicators.agencyId, agencyIds), covers, eq(elements.level, 'objective')));

    const latestSigned = tx.selectDistinctOn([agreements.agencyId, agreements.year], {
      agencyId: agreements.agencyId, year: agreements.year, version: agreements.version,
    }).from(agreements)
      .where(and(anyUuid(agreements.agencyId, agencyIds), sql`${agreements.year} = ANY(${sql.param(years)}::int[])`, eq(agreements.status, 'signed')))
      .orderBy(agreements.agencyId, agreements.year, desc(agreements.version))
      .as('latest_signed');

    const oi = objectiveIndicators(tx).as('oi');
    // Concurrent on the pool; one after the other inside a transaction (one connection).
    const [elementRows, indicatorRows, targetRows, measurementRows, agreementRows, budgetRows] = await runAll(tx === db, [
      tx.select({
        id: elements.id, planId: elements.planId, agencyId: elements.agencyId, parentId: elements.parentId, level: elements.level,
        code: elements.code, title: elements.title, supports: elements.supports, planStartYear: plans.startYear, planEndYear: plans.endYear,
      }).from(elements).innerJoin(plans, eq(plans.id, elements.planId)).where(covers),

      tx.select({
        id: indicators.id, elementId: indicators.elementId, planId: indicators.planId, agencyId: indicators.agencyId,
        code: indicators.code, name: indicators.name, type: indicators.type, unit: indicators.unit,
        polarity: indicators.polarity, aggregation: indicators.aggregation, isKey: indicators.isKey,
      }).from(indicators)
        .innerJoin(elements, eq(elements.id, indicators.elementId))
        .innerJoin(plans, eq(plans.id, elements.planId))
        .where(and(anyUuid(indicators.agencyId, agencyIds), covers, eq(elements.level, 'objective'))),

      tx.select({ indicatorId: targets.indicatorId, period: targets.period, value: targets.value }).from(targets)
        .innerJoin(oi, eq(oi.id, targets.indicatorId))
        .where(sql`(${targets.period} = ANY(${sql.param(targetPeriods)}::text[]) OR ${targets.period} = ${oi.planEndYear}::text)`),

      tx.select({ indicatorId: measurements.indicatorId, period: measurements.period, value: measurements.value, status: measurements.status })
        .from(measurements)
        .innerJoin(oi, eq(oi.id, measurements.indicatorId))
        .where(sql`${measurements.period} = ANY(${sql.param(measurementPeriods)}::text[])`),

      tx.select({
        agencyId: latestSigned.agencyId, year: latestSigned.year, version: latestSigned.version,
        indicatorId: agreementItems.indicatorId, target: agreementItems.target,
      }).from(latestSigned).leftJoin(agreementItems, and(
        eq(agreementItems.agencyId, latestSigned.agencyId),
        eq(agreementItems.year, latestSigned.year),
        eq(agreementItems.version, latestSigned.version),
      )),

      tx.select({ elementId: budgets.elementId, allocated: budgets.allocated, realized: budgets.realized }).from(budgets)
        .innerJoin(elements, eq(elements.id, budgets.elementId))
        .innerJoin(plans, eq(plans.id, elements.planId))
        .where(and(covers, eq(budgets.year, year))),
    ] as const);
    return {
      elements: elementRows,
      indicators: indicatorRows,
      targets: targetRows,
      measurements: measurementRows,
      agreementItems: agreementRows,
      budgets: budgetRows,
    };
  },
});
