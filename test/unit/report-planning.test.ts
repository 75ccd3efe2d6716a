import { describe, expect, it } from 'vitest';
import { assembleReport, indexRows } from '../../src/modules/reports/compute.js';
import type { ReportAgency, ReportRows } from '../../src/modules/reports/repository.js';

const AGENCY: ReportAgency = { id: 'a', code: 'DINKES', name: 'Dinas Kesehatan', kind: 'department', path: ['a'] };
type Ind = ReportRows['indicators'][number];
const ind = (id: string, over: Partial<Ind> = {}): Ind => ({
  id, elementId: 'o1', planId: 'p', agencyId: 'a', code: id, name: id, type: 'outcome', unit: '%',
  polarity: 'higher_is_better', aggregation: 'last', isKey: false, ...over,
});
const rows = (over: Partial<ReportRows>): ReportRows => ({
  elements: [{ id: 'o1', planId: 'p', agencyId: 'a', parentId: null, level: 'objective', code: 'S1', title: 'S1', supports: [], planStartYear: 2025, planEndYear: 2029 }],
  indicators: [], targets: [], measurements: [], agreementItems: [], budgets: [], ...over,
});
const lines = (r: ReportRows) => assembleReport(indexRows(r), AGENCY, 2025, '2025-12-31T00:00:00.000Z').objectives[0].indicators;
const range = (indicatorId: string, period: string, min: string, max: string) => ({ indicatorId, period, value: null, minValue: min, maxValue: max });
const mea = (indicatorId: string, period: string, value: string) => ({ indicatorId, period, value });

describe('report: ranged targets', () => {
  it.each([
    ['higher_is_better', '80', '90', '70', 87.5, 'high'],
    ['higher_is_better', '80', '90', '92', 102.22, 'very_high'],
    ['higher_is_better', '80', '90', '85', 100, 'very_high'],
    ['lower_is_better', '7', '8', '6.5', 107.14, 'very_high'],
    ['lower_is_better', '7', '8', '9', 87.5, 'high'],
  ] as const)('%s [%s, %s], R %s -> %s', (polarity, min, max, r, want, category) => {
    const [line] = lines(rows({ indicators: [ind('i', { polarity })], targets: [range('i', '2025', min, max)], measurements: [mea('i', '2025', r)] }));
    expect(line).toMatchObject({ target: null, targetRange: { min: Number(min), max: Number(max) }, achievement: want, category });
  });

  it('takes the signed agreement\'s range over the indicator\'s own value, and ranges for quarters and the plan end', () => {
    const [line] = lines(rows({
      indicators: [ind('i')],
      targets: [{ indicatorId: 'i', period: '2025', value: '50' }, range('i', '2025Q1', '20', '25'), range('i', '2029', '95', '99')],
      measurements: [mea('i', '2025Q1', '18'), mea('i', '2025Q2', '97')],
      agreementItems: [{ agencyId: 'a', year: 2025, version: 2, indicatorId: 'i', target: null, targetMin: '90', targetMax: '95' }],
    }));
    expect(line).toMatchObject({ target: null, targetRange: { min: 90, max: 95 }, realization: 97, achievement: 102.11 }); // 97 / 95
    expect(line.quarters[0]).toEqual({ period: '2025Q1', target: null, targetRange: { min: 20, max: 25 }, realization: 18, achievement: 90 });
    expect(line).toMatchObject({ planEndTarget: null, planEndTargetRange: { min: 95, max: 99 }, planProgress: 100 });
  });
});

describe('report: approved action plan and analysis', () => {
  it('replaces the quarter targets of the indicators the approved plan lists, and shows the analysis', () => {
    const out = lines(rows({
      indicators: [ind('i1'), ind('i2')],
      targets: [{ indicatorId: 'i1', period: '2025Q1', value: '99' }, { indicatorId: 'i2', period: '2025Q1', value: '30' }],
      measurements: [mea('i1', '2025Q1', '12'), mea('i2', '2025Q1', '15')],
      actionPlanItems: [{ indicatorId: 'i1', q1: '10', q2: '20', q3: '30', q4: '40' }],
      analyses: [{ indicatorId: 'i2', causes: 'c', supportingFactors: 's', inhibitingFactors: 'h', solutions: 'x' }],
    }));
    expect(out[0].quarters.map((q) => [q.target, q.achievement])).toEqual([[10, 120], [20, null], [30, null], [40, null]]);
    expect(out[1].quarters.map((q) => q.target)).toEqual([30, null, null, null]);
    expect(out.map((i) => i.analysis)).toEqual([null, { causes: 'c', supportingFactors: 's', inhibitingFactors: 'h', solutions: 'x' }]);
  });
});
