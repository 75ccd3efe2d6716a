import { assembleReports } from '../src/modules/reports/compute.js';
const els: any[] = [], inds: any[] = [], targets: any[] = [], meas: any[] = [];
for (let o = 0; o < 50; o++) {
  els.push({ id: 'o' + o, planId: 'p', agencyId: 'a', parentId: null, level: 'objective', code: 'S.' + o, title: 't', supports: [], planStartYear: 2021, planEndYear: 2026 });
  for (let k = 0; k < 10; k++) {
    const id = `i${o}.${k}`;
    inds.push({ id, elementId: 'o' + o, planId: 'p', agencyId: 'a', code: 'IK.' + id, name: id, type: 'outcome', unit: '%', polarity: k % 4 ? 'higher_is_better' : 'lower_is_better', aggregation: ['sum', 'last', 'average'][k % 3], isKey: false });
    for (const p of ['2025', '2025Q1', '2025Q2', '2025Q3', '2025Q4', '2024', '2023', '2026']) targets.push({ indicatorId: id, period: p, value: (10 + Math.random() * 90).toFixed(4) });
    for (const p of ['2025Q1', '2025Q2', '2025Q3', '2025Q4', '2024Q1', '2024Q2', '2024Q3', '2024Q4']) meas.push({ indicatorId: id, period: p, value: (Math.random() * 100).toFixed(4), status: 'submitted' });
  }
}
const rows = { elements: els, indicators: inds, targets, measurements: meas, agreementItems: [], budgets: [] };
const A = [{ id: 'a', code: 'A', name: 'A', kind: 'department', path: ['a'] }] as any;
for (let i = 0; i < 30; i++) assembleReports(A, rows as any, 2025, 'x');
const t0 = performance.now();
for (let i = 0; i < 50; i++) assembleReports(A, rows as any, 2025, 'x');
console.log('ms per report', ((performance.now() - t0) / 50).toFixed(2));
