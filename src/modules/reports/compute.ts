/**
 * LKjIP assembly (DOMAIN.md "Report"): pure, from the rows repository.ts loads. Every figure comes
 * from the domain rules (achievement, aggregation, summary) in decimal arithmetic; decimal strings
 * become JSON numbers only here, at the end.
 */
import { achievement, isRange, type AchievementResult, type Polarity, type TargetRange } from '../../domain/achievement.js';
import { aggregateRealization, type Aggregation } from '../../domain/aggregation.js';
import { D, type Decimal } from '../../domain/decimal.js';
import { efficiency, objectiveAchievement } from '../../domain/efficiency.js';
import { formatScaled, parseScaled, SCALE } from '../../domain/fixed.js';
import { quartersOf } from '../../domain/period.js';
import { absorption, summarize } from '../../domain/summary.js';
import type { ReportAgency, ReportRows } from './repository.js';
import type { ReportDto, ReportIndicatorDto } from './schemas.js';

/** Measurements that count (DOMAIN.md): submitted and verified; returned ones do not. The
 * repositories read only these (repository.ts `countedMeasurement`). */
export const COUNTED_STATUSES: ReadonlySet<string> = new Set(['submitted', 'verified']);

type Element = ReportRows['elements'][number];
type Indicator = ReportRows['indicators'][number];
/** A target as the rules take it: a decimal string or a range (target rentang). */
export type TargetSpec = string | TargetRange;
type Agreement = { version: number; targets: Map<string, TargetSpec> };
type Analysis = NonNullable<ReportRows['analyses']>[number];

// Decimal strings (from the database or the domain rules) to JSON numbers: Number() of a plain
// decimal string is what Decimal#toNumber does, without building a Decimal.
const num = (s: string | null | undefined): number | null => (s == null ? null : Number(s));
/** A target as JSON: the single value (null for a range) and the range (null for a single value). */
const targetNum = (t: TargetSpec | null) => (t === null || isRange(t) ? null : Number(t));
const rangeNum = (t: TargetSpec | null) => (t !== null && isRange(t) ? { min: Number(t.min), max: Number(t.max) } : null);
const specOf = (value: string | null, min: string | null | undefined, max: string | null | undefined): TargetSpec | null =>
  (value !== null ? value : min != null && max != null ? { min, max } : null);

// Codes sort the way a planner reads them: "S.2" before "S.10".
const collator = new Intl.Collator('en', { numeric: true });
const byCode = (a: { code: string }, b: { code: string }) =>
  collator.compare(a.code, b.code) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

// The quarter periods of a year, built once per year rather than per indicator. Pure and bounded
// (years are 4 digits), so a process-wide memo; it holds no report data.
const quarterPeriods = new Map<number, readonly string[]>();
function quartersOfYear(year: number): readonly string[] {
  let q = quarterPeriods.get(year);
  if (!q) quarterPeriods.set(year, (q = quartersOf(year)));
  return q;
}

/** Indexes over one batch of rows; built once for however many agencies the batch holds. */
export function indexRows(rows: ReportRows) {
  const targets = new Map<string, Map<string, TargetSpec>>();
  for (const t of rows.targets) {
    let m = targets.get(t.indicatorId);
    if (!m) targets.set(t.indicatorId, (m = new Map()));
    const spec = specOf(t.value, t.minValue, t.maxValue);
    if (spec !== null) m.set(t.period, spec);
  }
  // An approved action plan's quarter targets replace the indicator's own (DOMAIN.md "Action plan").
  const actionPlanQuarters = new Map<string, string[]>();
  for (const a of rows.actionPlanItems ?? []) actionPlanQuarters.set(a.indicatorId, [a.q1, a.q2, a.q3, a.q4]);
  const counted = new Map<string, Map<string, string>>();
  for (const r of rows.measurements) {
    let m = counted.get(r.indicatorId);
    if (!m) counted.set(r.indicatorId, (m = new Map()));
    m.set(r.period, r.value);
  }
  const agreements = new Map<string, Agreement>();
  for (const a of rows.agreementItems) {
    const key = `${a.agencyId}|${a.year}`;
    let ag = agreements.get(key);
    if (!ag) agreements.set(key, (ag = { version: a.version, targets: new Map() }));
    const spec = a.indicatorId === null ? null : specOf(a.target, a.targetMin, a.targetMax);
    if (spec !== null) ag.targets.set(a.indicatorId!, spec);
  }
  return {
    elementsByAgency: groupBy(rows.elements, (e) => e.agencyId),
    children: groupBy(rows.elements.filter((e) => e.parentId !== null), (e) => e.parentId as string),
    indicatorsByElement: groupBy(rows.indicators, (i) => i.elementId),
    targets,
    counted,
    agreements,
    budgets: new Map(rows.budgets.map((b) => [b.elementId, b])),
    actionPlanQuarters,
    analyses: new Map<string, Analysis>((rows.analyses ?? []).map((a) => [a.indicatorId, a])),
  };
}
export type ReportIndex = ReturnType<typeof indexRows>;

/** The year's realization: the annual measurement, else the aggregation of the counted quarters. */
export function realizationOf(ix: ReportIndex, ind: Pick<Indicator, 'id' | 'aggregation'>, year: number): string | null {
  const counted = ix.counted.get(ind.id);
  if (!counted) return null;
  return aggregateRealization({
    aggregation: ind.aggregation as Aggregation,
    annual: counted.get(String(year)) ?? null,
    quarters: quartersOfYear(year).map((period) => ({ period, value: counted.get(period) ?? null })),
  });
}

/** The year's target: the latest signed agreement version's item where it lists the indicator,
 * else the indicator's own annual target. */
export function targetOf(ix: ReportIndex, ind: Pick<Indicator, 'id' | 'agencyId'>, year: number): TargetSpec | null {
  return ix.agreements.get(`${ind.agencyId}|${year}`)?.targets.get(ind.id) ?? ix.targets.get(ind.id)?.get(String(year)) ?? null;
}

function indicatorReport(ix: ReportIndex, ind: Indicator, year: number, planEndYear: number, results: AchievementResult[]): ReportIndicatorDto {
  const polarity = ind.polarity as Polarity;
  const own = ix.targets.get(ind.id);
  const counted = ix.counted.get(ind.id);
  const target = targetOf(ix, ind, year);
  const realization = realizationOf(ix, ind, year);
  const result = achievement({ target, realization, polarity });
  results.push(result); // the summary works on the rounded decimal strings, not on JSON numbers
  const planEndTarget = own?.get(String(planEndYear)) ?? null;
  const planQuarters = ix.actionPlanQuarters.get(ind.id);
  const analysis = ix.analyses.get(ind.id);
  return {
    indicatorId: ind.id,
    code: ind.code,
    name: ind.name,
    type: ind.type,
    unit: ind.unit,
    polarity,
    aggregation: ind.aggregation,
    isKey: ind.isKey,
    target: targetNum(target),
    targetRange: rangeNum(target),
    realization: num(realization),
    achievement: num(result.achievement),
    category: result.category,
    quarters: quartersOfYear(year).map((period, q) => {
      const qTarget = planQuarters ? planQuarters[q] : own?.get(period) ?? null;
      const qReal = counted?.get(period) ?? null;
      // A quarter's achievement only where that quarter has its own target (DOMAIN.md).
      const a = qTarget === null ? null : achievement({ target: qTarget, realization: qReal, polarity }).achievement;
      const range = rangeNum(qTarget); // only on a ranged quarter, so single-target quarters keep their shape
      return { period, target: targetNum(qTarget), ...(range ? { targetRange: range } : {}), realization: num(qReal), achievement: num(a) };
    }),
    previousYears: [year - 1, year - 2].map((y) => {
      const r = realizationOf(ix, ind, y);
      return { year: y, realization: num(r), achievement: num(achievement({ target: targetOf(ix, ind, y), realization: r, polarity }).achievement) };
    }),
    planEndTarget: targetNum(planEndTarget),
    ...(planEndTarget !== null && isRange(planEndTarget) ? { planEndTargetRange: rangeNum(planEndTarget)! } : {}),
    planProgress: num(achievement({ target: planEndTarget, realization, polarity }).achievement),
    analysis: analysis
      ? { causes: analysis.causes, supportingFactors: analysis.supportingFactors, inhibitingFactors: analysis.inhibitingFactors, solutions: analysis.solutions }
      : null,
  };
}

/**
 * The objective's budget: the elements of its subtree (itself included) that carry a budget row
 * for the year and have no descendant that carries one, so a program and its activities are never
 * counted twice. No budget anywhere gives 0 / 0 with absorption null.
 */
export function objectiveBudget(ix: ReportIndex, objectiveId: string): ReportDto['objectives'][number]['budget'] {
  const allocated: string[] = [];
  const realized: string[] = [];
  const seen = new Set<string>();
  // Post-order walk; answers whether the subtree below and including `id` carries a budget.
  const walk = (id: string): boolean => {
    if (seen.has(id)) return false; // defensive: a malformed tree must not loop
    seen.add(id);
    let below = false;
    for (const c of ix.children.get(id) ?? []) below = walk(c.id) || below;
    const own = ix.budgets.get(id);
    if (own && !below) {
      allocated.push(own.allocated);
      realized.push(own.realized);
    }
    return below || Boolean(own);
  };
  walk(objectiveId);
  const a = sumOf(allocated);
  const r = sumOf(realized);
  return { allocated: Number(a), realized: Number(r), absorption: num(absorption(a, r)) };
}

/** Exact sum as a decimal string: scaled integers (domain/fixed.ts) for plain numeric(24,4)
 * strings, decimal.js otherwise. */
function sumOf(values: readonly string[]): string {
  let scaled = 0n;
  for (const v of values) {
    const x = parseScaled(v);
    if (x === null) return values.reduce<Decimal>((acc, s) => acc.plus(s), new D(0)).toFixed();
    scaled += x;
  }
  return formatScaled(scaled, SCALE, true);
}

/** One agency's report from an index that holds its rows. */
export function assembleReport(ix: ReportIndex, agency: ReportAgency, year: number, generatedAt: string): ReportDto {
  const objectives = (ix.elementsByAgency.get(agency.id) ?? [])
    .filter((e) => e.level === 'objective')
    // by plan (start year, then creation order: ids are UUIDv7), then code
    .sort((a, b) => a.planStartYear - b.planStartYear || (a.planId < b.planId ? -1 : a.planId > b.planId ? 1 : 0) || byCode(a, b));

  const results: AchievementResult[] = [];
  const sections = objectives.map((o: Element) => {
    const first = results.length;
    const inds = [...(ix.indicatorsByElement.get(o.id) ?? [])].sort(byCode)
      .map((i) => indicatorReport(ix, i, year, o.planEndYear, results));
    const budget = objectiveBudget(ix, o.id);
    // Efficiency from the figures as shown: the objective's mean achievement and its absorption.
    const eff = efficiency(objectiveAchievement(results.slice(first)), budget.absorption === null ? null : budget.absorption.toFixed(2));
    return {
      element: {
        id: o.id, planId: o.planId, parentId: o.parentId, level: o.level as 'objective', code: o.code, title: o.title, supports: o.supports,
      },
      indicators: inds,
      budget,
      efficiency: { index: num(eff.index), category: eff.category },
    };
  });

  const summary = summarize(results);
  const agreement = ix.agreements.get(`${agency.id}|${year}`);
  return {
    agency: { id: agency.id, code: agency.code, name: agency.name, kind: agency.kind },
    year,
    generatedAt,
    targetBasis: agreement ? 'agreement' : 'indicators',
    ...(agreement ? { agreementVersion: agreement.version } : {}),
    summary: { indicators: summary.indicators, byCategory: summary.byCategory, meanAchievement: num(summary.meanAchievement) },
    objectives: sections,
  };
}

/** Reports of every agency in a batch, in the order given. */
export function assembleReports(agencies: readonly ReportAgency[], rows: ReportRows, year: number, generatedAt: string): ReportDto[] {
  const ix = indexRows(rows);
  return agencies.map((a) => assembleReport(ix, a, year, generatedAt));
}
