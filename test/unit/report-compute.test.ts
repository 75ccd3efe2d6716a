import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { assembleReport, indexRows, objectiveBudget } from '../../src/modules/reports/compute.js';
import type { ReportAgency, ReportRows } from '../../src/modules/reports/repository.js';

const AGENCY: ReportAgency = { id: 'a', code: 'DINKES', name: 'Dinas Kesehatan', kind: 'department', path: ['a'] };
type Rows = ReportRows;
type Ind = Rows['indicators'][number];

const el = (id: string, level: string, parentId: string | null, code = id): Rows['elements'][number] => ({
  id, planId: 'p', agencyId: 'a', parentId, level, code, title: code, supports: [], planStartYear: 2021, planEndYear: 2026,
});
const ind = (id: string, over: Partial<Ind> = {}): Ind => ({
  id, elementId: 'o1', planId: 'p', agencyId: 'a', code: id, name: id, type: 'outcome', unit: '%',
  polarity: 'higher_is_better', aggregation: 'sum', isKey: false, ...over,
});
const rows = (over: Partial<Rows> = {}): Rows => ({
  elements: [el('o1', 'objective', null)], indicators: [], targets: [], measurements: [], agreementItems: [], budgets: [], ...over,
});
const report = (r: Rows, year = 2025) => assembleReport(indexRows(r), AGENCY, year, '2025-12-31T00:00:00.000Z');
const only = (r: Rows) => report(r).objectives[0].indicators[0];
const tgt = (indicatorId: string, period: string, value: string) => ({ indicatorId, period, value });
const mea = (indicatorId: string, period: string, value: string) => ({ indicatorId, period, value });

describe('report assembly: budget of an objective', () => {
  const tree = [
    el('o1', 'objective', null), el('p1', 'program', 'o1'), el('a1', 'activity', 'p1'), el('a2', 'activity', 'p1'),
    el('s1', 'sub_activity', 'a1'), el('p2', 'program', 'o1'), el('a3', 'activity', 'p2'), el('o2', 'objective', null),
  ];
  const b = (elementId: string, allocated: string, realized: string) => ({ elementId, allocated, realized });
  const cases: Array<[string, Rows['budgets'], { allocated: number; realized: number; absorption: number | null }]> = [
    ['nothing budgeted', [], { allocated: 0, realized: 0, absorption: null }],
    ['a program alone counts', [b('p1', '100', '50')], { allocated: 100, realized: 50, absorption: 50 }],
    ['activities replace their program', [b('p1', '1000', '900'), b('a1', '300', '100'), b('a2', '200.5', '100.25')], { allocated: 500.5, realized: 200.25, absorption: 40.01 }],
    ['only the deepest budgeted level counts', [b('o1', '9', '9'), b('a1', '10', '5'), b('s1', '4', '3'), b('p2', '6', '6')], { allocated: 10, realized: 9, absorption: 90 }],
    ['another objective\'s subtree is not summed', [b('o2', '77', '77'), b('a3', '1', '1')], { allocated: 1, realized: 1, absorption: 100 }],
    ['allocated 0 has no absorption', [b('p1', '0', '0')], { allocated: 0, realized: 0, absorption: null }],
    ['cent-exact sums', [b('a1', '0.1', '0.1'), b('a2', '0.2', '0.2'), b('a3', '0.3', '0.1')], { allocated: 0.6, realized: 0.4, absorption: 66.67 }],
  ];
  it.each(cases)('%s', (_name, budgets, want) => {
    expect(objectiveBudget(indexRows(rows({ elements: tree, budgets })), 'o1')).toEqual(want);
  });
});

describe('report assembly: targets, realizations, categories', () => {
  it('uses the latest signed agreement version where it lists the indicator, else the own target', () => {
    const r = rows({
      indicators: [ind('i1'), ind('i2')],
      targets: [tgt('i1', '2025', '100'), tgt('i2', '2025', '40')],
      measurements: [mea('i1', '2025Q1', '50'), mea('i2', '2025Q1', '30')],
      agreementItems: [{ agencyId: 'a', year: 2025, version: 4, indicatorId: 'i1', target: '80' }],
    });
    const out = report(r);
    expect(out.targetBasis).toBe('agreement');
    expect(out.agreementVersion).toBe(4);
    expect(out.objectives[0].indicators.map((i) => [i.target, i.achievement, i.category])).toEqual([[80, 62.5, 'low'], [40, 75, 'medium']]);
  });

  it('says "indicators" and omits agreementVersion without a signed version', () => {
    const out = report(rows({ indicators: [ind('i1')], targets: [tgt('i1', '2025', '10')] }));
    expect(out.targetBasis).toBe('indicators');
    expect('agreementVersion' in out).toBe(false);
  });

  it('a signed version that lists nothing still sets the basis but keeps own targets', () => {
    const out = report(rows({ indicators: [ind('i1')], targets: [tgt('i1', '2025', '10')], agreementItems: [{ agencyId: 'a', year: 2025, version: 1, indicatorId: null, target: null }] }));
    expect([out.targetBasis, out.agreementVersion, out.objectives[0].indicators[0].target]).toEqual(['agreement', 1, 10]);
  });

  it('an annual measurement overrides the aggregation', () => {
    const i = only(rows({
      indicators: [ind('i1', { aggregation: 'average' })],
      targets: [tgt('i1', '2025', '50')],
      measurements: [mea('i1', '2025Q1', '10'), mea('i1', '2025Q2', '20'), mea('i1', '2025', '45.5')],
    }));
    expect([i.realization, i.achievement, i.category]).toEqual([45.5, 91, 'very_high']);
  });

  it('computes quarters only where they have their own target, and the previous years', () => {
    const i = only(rows({
      indicators: [ind('i1', { aggregation: 'last', polarity: 'lower_is_better' })],
      targets: [tgt('i1', '2025', '10'), tgt('i1', '2025Q3', '8'), tgt('i1', '2023', '20'), tgt('i1', '2026', '4')],
      measurements: [mea('i1', '2025Q1', '12'), mea('i1', '2025Q3', '9'), mea('i1', '2023Q4', '25'), mea('i1', '2024', '7')],
    }));
    expect(i.quarters).toEqual([
      { period: '2025Q1', target: null, realization: 12, achievement: null },
      { period: '2025Q2', target: null, realization: null, achievement: null },
      { period: '2025Q3', target: 8, realization: 9, achievement: 87.5 },
      { period: '2025Q4', target: null, realization: null, achievement: null },
    ]);
    expect(i.previousYears).toEqual([{ year: 2024, realization: 7, achievement: null }, { year: 2023, realization: 25, achievement: 75 }]);
    expect([i.realization, i.achievement, i.planEndTarget, i.planProgress]).toEqual([9, 110, 4, 0]);
  });

  it('summarises every category and the mean of the rounded achievements', () => {
    const out = report(rows({
      indicators: [ind('i1'), ind('i2'), ind('i3'), ind('i4')],
      targets: [tgt('i1', '2025', '3'), tgt('i2', '2025', '3'), tgt('i3', '2025', '-1'), tgt('i4', '2025', '1')],
      measurements: [mea('i1', '2025Q1', '1'), mea('i2', '2025Q1', '2'), mea('i3', '2025Q1', '1')],
    }));
    // 33.33 and 66.67 (rounded first) -> mean 50.00
    expect(out.summary).toEqual({
      indicators: 4,
      byCategory: { very_high: 0, high: 0, medium: 1, low: 0, very_low: 1, not_computable: 1, no_data: 1 },
      meanAchievement: 50,
    });
  });

  it('orders objectives and indicators by code as a planner reads them', () => {
    const out = report(rows({
      elements: [el('x10', 'objective', null, 'S.10'), el('x2', 'objective', null, 'S.2'), el('g', 'goal', null)],
      indicators: [ind('IK.10', { elementId: 'x2' }), ind('IK.9', { elementId: 'x2' })],
    }));
    expect(out.objectives.map((o) => o.element.code)).toEqual(['S.2', 'S.10']);
    expect(out.objectives[0].indicators.map((i) => i.code)).toEqual(['IK.9', 'IK.10']);
  });
});

describe('report assembly: achievement property', () => {
  // Decimals with up to 4 places, as numeric(24,4) stores them.
  const decimal = (min: number) => fc.tuple(fc.integer({ min, max: 1e9 }), fc.integer({ min: 0, max: 9999 }))
    .map(([int, frac]) => new Decimal(int).plus(new Decimal(frac).div(10_000)).toFixed());
  const positive = decimal(0).filter((s) => new Decimal(s).gt(0));

  it('equals the DOMAIN formula computed independently with Decimal, for both polarities', () => {
    fc.assert(fc.property(positive, decimal(-1e9), fc.constantFrom('higher_is_better', 'lower_is_better'), (t, r, polarity) => {
      const a = only(rows({ indicators: [ind('i1', { polarity: polarity as Ind['polarity'] })], targets: [tgt('i1', '2025', t)], measurements: [mea('i1', '2025', r)] })).achievement;
      const T = new Decimal(t);
      const R = new Decimal(r);
      const raw = polarity === 'higher_is_better' ? R.div(T).times(100) : Decimal.max(0, T.times(2).minus(R).div(T).times(100));
      const want = raw.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber() + 0; // JSON has no -0
      expect(a).toBe(want);
    }), { numRuns: 500 });
  });
});
