import { and, asc, desc, eq, gt, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../../db/client.js';
import { COUNTED_STATUSES } from './compute.js';
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
  /** Targets of the year, its quarters, the two previous years and the plan's end year; `value`
   * null for a range (`minValue`, `maxValue`). */
  targets: Array<{ indicatorId: string; period: string; value: string | null; minValue?: string | null; maxValue?: string | null }>;
  /** Counted measurements (`countedMeasurement`) of the year, the two previous years and their quarters. */
  measurements: Array<{ indicatorId: string; period: string; value: string }>;
  /** The latest signed agreement version per agency and year (year and the two before), with its
   * items; `indicatorId` is null for a signed version that lists nothing. */
  agreementItems: Array<{
    agencyId: string; year: number; version: number; indicatorId: string | null; target: string | null; targetMin?: string | null; targetMax?: string | null;
  }>;
  /** Quarter targets of the latest approved action plan (Rencana Aksi) of the year, per indicator. */
  actionPlanItems?: Array<{ indicatorId: string; q1: string; q2: string; q3: string; q4: string }>;
  /** The year's performance analyses of the indicators. */
  analyses?: Array<{ indicatorId: string; causes: string; supportingFactors: string; inhibitingFactors: string; solutions: string }>;
  /** Budget rows of the year for those plans' elements. */
  budgets: Array<{ elementId: string; allocated: string; realized: string }>;
};

/** Quarter targets of the latest approved action plan version of each agency for the year. */
export const actionPlanQuarterTargets = (agencyIds: string[], year: number) => sql`
  SELECT i.indicator_id AS "indicatorId", i.q1, i.q2, i.q3, i.q4
  FROM (SELECT DISTINCT ON (agency_id) agency_id, version FROM action_plans
        WHERE agency_id = ANY(${sql.param(agencyIds)}::uuid[]) AND year = ${year} AND status = 'approved'
        ORDER BY agency_id, version DESC) ap
  JOIN action_plan_items i ON i.agency_id = ap.agency_id AND i.year = ${year} AND i.version = ap.version`;

/** Measurements that count (COUNTED_STATUSES), as a condition on their `status` column: filtered
 * where they are read, so the rows the rules never use (returned ones) are not transferred or parsed. */
export const countedMeasurement = (status: SQL = sql.raw('status')) => sql`${status} = ANY(${sql.param([...COUNTED_STATUSES])}::text[])`;

/** The report's years: the year itself and the two previous ones (DOMAIN.md "Report"). */
export const reportYears = (year: number) => [year, year - 1, year - 2];

const anyUuid = (col: AnyColumn, ids: string[]) => sql`${col} = ANY(${sql.param(ids)}::uuid[])`;

/** Runs drizzle queries (lazy thenables) concurrently or in order. */
async function runAll<T extends readonly PromiseLike<unknown>[]>(concurrent: boolean, queries: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  if (concurrent) return Promise.all(queries) as Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }>;
  const out: unknown[] = [];
  for (const q of queries) out.push(await q);
  return out as { -readonly [K in keyof T]: Awaited<T[K]> };
}

/** A query that starts only when awaited, like drizzle's builders, so runAll can order it. */
const lazy = <T>(run: () => Promise<T>): PromiseLike<T> => ({ then: (ok, fail) => run().then(ok, fail) });

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
   * Loads the report data of many agencies for one year in eight set-based queries, whatever the
   * number of agencies, indicators or elements. First what joins down from the agency ids (elements,
   * indicators, agreements, budgets, action plans), then the rows keyed by indicator (targets,
   * measurements, analyses) by the indicator ids just read: one index scan over a list of ids
   * reads each heap page once, where a join probing per indicator visited a page per row (a sixth
   * of the time for a batch of 1,000 indicators). Each phase runs concurrently on a pool.
   */
  async load(agencyIds: string[], year: number, tx: DbOrTx = db): Promise<ReportRows> {
    if (!agencyIds.length) return { elements: [], indicators: [], targets: [], measurements: [], agreementItems: [], budgets: [], actionPlanItems: [], analyses: [] };
    const years = reportYears(year);
    const quarterPeriods = years.flatMap((y) => [1, 2, 3, 4].map((q) => `${y}Q${q}`));
    const measurementPeriods = [...years.map(String), ...quarterPeriods];

    const latestSigned = tx.selectDistinctOn([agreements.agencyId, agreements.year], {
      agencyId: agreements.agencyId, year: agreements.year, version: agreements.version,
    }).from(agreements)
      .where(and(anyUuid(agreements.agencyId, agencyIds), sql`${agreements.year} = ANY(${sql.param(years)}::int[])`, eq(agreements.status, 'signed')))
      .orderBy(agreements.agencyId, agreements.year, desc(agreements.version))
      .as('latest_signed');

    // Plans of the agencies that cover the year. Filtering indicators on agency_id lets PostgreSQL
    // start from that index.
    const coveringPlans = sql`
      SELECT id, start_year, end_year FROM ${plans}
      WHERE agency_id = ANY(${sql.param(agencyIds)}::uuid[]) AND start_year <= ${year} AND end_year >= ${year}`;
    // Raw SQL (plain row objects from either driver): drizzle's per-row, per-column result mapping
    // cost more than the transfer of these thousands of rows. Lazy, so a transaction runs them in turn.
    const rows = <T>(query: SQL) => lazy(() => queryRows<T>(tx, query));
    const concurrent = tx === db; // one after the other inside a transaction (one connection)

    const [elementRows, indicatorRows, agreementRows, budgetRows, actionPlanRows] = await runAll(concurrent, [
      rows<ReportRows['elements'][number]>(sql`
        SELECT e.id, e.plan_id AS "planId", e.agency_id AS "agencyId", e.parent_id AS "parentId", e.level, e.code, e.title, e.supports,
               p.start_year AS "planStartYear", p.end_year AS "planEndYear"
        FROM ${elements} e JOIN (${coveringPlans}) p ON p.id = e.plan_id`),

      // The indicators attached to objectives of those plans.
      rows<ReportRows['indicators'][number]>(sql`
        SELECT i.id, i.element_id AS "elementId", i.plan_id AS "planId", i.agency_id AS "agencyId", i.code, i.name, i.type, i.unit,
               i.polarity, i.aggregation, i.is_key AS "isKey"
        FROM ${indicators} i JOIN ${elements} e ON e.id = i.element_id JOIN (${coveringPlans}) p ON p.id = e.plan_id
        WHERE i.agency_id = ANY(${sql.param(agencyIds)}::uuid[]) AND e.level = 'objective'`),

      tx.select({
        agencyId: latestSigned.agencyId, year: latestSigned.year, version: latestSigned.version,
        indicatorId: agreementItems.indicatorId, target: agreementItems.target, targetMin: agreementItems.targetMin, targetMax: agreementItems.targetMax,
      }).from(latestSigned).leftJoin(agreementItems, and(
        eq(agreementItems.agencyId, latestSigned.agencyId),
        eq(agreementItems.year, latestSigned.year),
        eq(agreementItems.version, latestSigned.version),
      )),

      rows<ReportRows['budgets'][number]>(sql`
        SELECT b.element_id AS "elementId", b.allocated, b.realized
        FROM ${budgets} b JOIN ${elements} e ON e.id = b.element_id JOIN (${coveringPlans}) p ON p.id = e.plan_id
        WHERE b.year = ${year}`),

      rows<NonNullable<ReportRows['actionPlanItems']>[number]>(actionPlanQuarterTargets(agencyIds, year)),
    ] as const);

    const indicatorIds = indicatorRows.map((i) => i.id);
    // Targets of the year, its quarters, the two previous years and each plan's end year (a period
    // some indicator does not need is read and never looked up).
    const planEndYears = [...new Set(elementRows.map((e) => String(e.planEndYear)))];
    const targetPeriods = [...new Set([String(year), ...quarterPeriods.slice(0, 4), String(year - 1), String(year - 2), ...planEndYears])];
    const byIndicator = sql`indicator_id = ANY(${sql.param(indicatorIds)}::uuid[])`;
    const [targetRows, measurementRows, analysisRows] = indicatorIds.length === 0 ? [[], [], []] : await runAll(concurrent, [
      rows<ReportRows['targets'][number]>(sql`
        SELECT indicator_id AS "indicatorId", period, value, min_value AS "minValue", max_value AS "maxValue" FROM ${targets}
        WHERE ${byIndicator} AND period = ANY(${sql.param(targetPeriods)}::text[])`),

      rows<ReportRows['measurements'][number]>(sql`
        SELECT indicator_id AS "indicatorId", period, value FROM ${measurements}
        WHERE ${byIndicator} AND period = ANY(${sql.param(measurementPeriods)}::text[]) AND ${countedMeasurement()}`),

      rows<NonNullable<ReportRows['analyses']>[number]>(sql`
        SELECT indicator_id AS "indicatorId", causes, supporting_factors AS "supportingFactors",
               inhibiting_factors AS "inhibitingFactors", solutions
        FROM analyses WHERE ${byIndicator} AND year = ${year}`),
    ] as const);
    return {
      elements: elementRows,
      indicators: indicatorRows,
      targets: targetRows,
      measurements: measurementRows,
      agreementItems: agreementRows,
      budgets: budgetRows,
      actionPlanItems: actionPlanRows,
      analyses: analysisRows,
    };
  },
});
