/**
 * An agency-year for the printing and publication tests: names with markup in them (they must
 * print as text), two objectives carrying DOMAIN.md's published efficiency cases, a signed
 * agreement (v1) with a budget and a later draft (v2).
 */
import type { TestApp, Json } from './app.js';
import { reportFixtures } from './report-fixtures.js';

export const EVIL = '<script>window.__pwned = 1</script>';

export async function seedPrintable(t: TestApp, code: string) {
  const agency: Json = await t.agency({ code, name: `Dinas Kesehatan ${EVIL}`, kind: 'province' });
  const f = reportFixtures(t.app.db);
  const plan = await f.plan(agency.id, { startYear: 2021, endYear: 2026 });
  const s1 = await f.element(plan, { level: 'objective', code: 'S.1', title: `Meningkatnya derajat kesehatan <b>masyarakat</b>` });
  const s2 = await f.element(plan, { level: 'objective', code: 'S.2', title: 'Kasus LAKIP pertama' });
  const s3 = await f.element(plan, { level: 'objective', code: 'S.3', title: 'Kasus LAKIP kedua' });
  const p1 = await f.element(plan, { level: 'program', code: 'P.1', title: 'Program pemenuhan upaya kesehatan', parentId: s1.id });
  const p2 = await f.element(plan, { level: 'program', code: 'P.2', parentId: s2.id });
  const p3 = await f.element(plan, { level: 'program', code: 'P.3', parentId: s3.id });

  // S.1: 73.1 / 72.5 = 100.83%; lower: (2×20 − 18.5) / 20 = 107.50%; mean 104.165 -> 104.17;
  // absorption 1,175,000,000 / 1,250,000,000 = 94.00; 104.17 / 94 = 1.10819 -> 1.108 efficient.
  const ik1 = await f.indicator(s1, { code: 'IK1.1', name: `Angka harapan hidup ${EVIL}`, unit: 'tahun', isKey: true, aggregation: 'last' });
  await f.targets(ik1.id, { 2025: '72.5', '2025Q1': 72, '2025Q2': '72.5', 2024: 72, 2023: '71.5', 2026: 74 });
  await f.measurements(ik1, [{ period: '2025Q1', value: '72.25' }, { period: '2025Q2', value: '73.1' }, { period: '2024', value: '71.9' }, { period: '2023', value: '71.5' }]);
  const ik2 = await f.indicator(s1, { code: 'IK1.2', name: 'Prevalensi stunting', unit: '%', polarity: 'lower_is_better', aggregation: 'last' });
  await f.targets(ik2.id, { 2025: 20 });
  await f.measurements(ik2, [{ period: '2025Q4', value: '18.5' }]);
  await f.budget(p1.id, 2025, '1250000000', '1175000000');

  // DOMAIN.md "Efficiency": 99.92 / 94.00 -> 1.063; 100.00 / 99.21 -> 1.008.
  const ik3 = await f.indicator(s2, { code: 'IK2.1', name: 'Cakupan layanan', unit: '%' });
  await f.targets(ik3.id, { 2025: 100 });
  await f.measurements(ik3, [{ period: '2025', value: '99.92' }]);
  await f.budget(p2.id, 2025, '100', '94');
  const ik4 = await f.indicator(s3, { code: 'IK3.1', name: 'Cakupan imunisasi', unit: '%' });
  await f.targets(ik4.id, { 2025: 100 });
  await f.measurements(ik4, [{ period: '2025', value: '100' }]);
  await f.budget(p3.id, 2025, '10000', '9921');

  // Perjanjian Kinerja 2025: v1 signed (with the budget per program), v2 a draft.
  const put = (items: Json[], budget: Json[]) => t.admin.put(`/v1/agencies/${agency.id}/agreements/2025`, { items, budget });
  const r1 = await put([{ indicatorId: ik1.id, target: 72.5 }, { indicatorId: ik2.id, target: 20 }], [{ elementId: p1.id, amount: 1250000000 }, { elementId: p2.id, amount: 100 }]);
  if (r1.statusCode !== 201) throw new Error(`agreement: ${r1.statusCode} ${r1.body}`);
  const sign = await t.admin.post(`/v1/agencies/${agency.id}/agreements/2025/sign`, { signedBy: `dr. Budi Santoso ${EVIL}` });
  if (sign.statusCode !== 200) throw new Error(`sign: ${sign.statusCode} ${sign.body}`);
  const r2 = await put([{ indicatorId: ik1.id, target: 73 }], [{ elementId: p1.id, amount: 1300000000.5 }]);
  if (r2.statusCode !== 201) throw new Error(`agreement v2: ${r2.statusCode} ${r2.body}`);
  return { agency, indicators: [ik1, ik2, ik3, ik4] };
}
