// The demo region (a national root with a small RPJMN, a province, Kabupaten Sukamaju and its
// departments: src/cli/demo-data.ts) loaded through the API, step by step as an integrator would:
// `sakip seed --demo` over HTTP, `npm run seed -- --demo` in-process.
import {
  DEPARTMENTS, NATIONAL, PROVINCE, PROVINCE_RPJMD, REGENCY, RPJMD, RPJMN, type DemoElement, type DemoIndicator,
} from './demo-data.js';
import { seedPlanningCycle, type Loaded } from './demo-planning.js';

/** One API call answering the parsed JSON body (of the shape `T` the caller expects); it throws on any status from 300 up. */
export type Call = <T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => Promise<T>;

/** The fields of the API's answers the demo reads. */
type Created = { id: string };
type Named = { id: string; name: string };
type Page<T> = { data: T[] };

const YEARS = [2025, 2026, 2027, 2028, 2029];

/** Quarter targets of the first year: a share of the year for `sum`, a path from the baseline otherwise. */
function quarterTargets(i: DemoIndicator): number[] {
  const year = i.targets[0];
  if (i.aggregation === 'sum') return [0.15, 0.25, 0.3, 0.3].map((s) => Math.round(year * s * 100) / 100);
  return [1, 2, 3, 4].map((q) => Math.round((i.baseline + ((year - i.baseline) * q) / 4) * 100) / 100);
}

const newOut = (): Loaded => ({ indicators: [], budget: [] });

async function loadTree(api: Call, planId: string, nodes: DemoElement[], supportsByCode: Map<string, string>, parentId: string | null, out: Loaded, ids = new Map<string, string>()) {
  for (const n of nodes) {
    const el = await api<Created>('POST', `/v1/plans/${planId}/elements`, {
      level: n.level, code: n.code, title: n.title, parentId,
      supports: (n.supports ?? []).map((c) => supportsByCode.get(c)!).filter(Boolean),
    });
    ids.set(n.code, el.id);
    for (const i of n.indicators ?? []) {
      const created = await api<Created>('POST', `/v1/elements/${el.id}/indicators`, {
        code: i.code, name: i.name, type: i.type, unit: i.unit, polarity: i.polarity, aggregation: i.aggregation,
        isKey: i.isKey ?? false, baseline: i.baseline ? { year: 2024, value: i.baseline } : null,
        definition: i.definition ?? null, dataSource: i.dataSource ?? null,
      });
      const q = quarterTargets(i);
      await api('POST', '/v1/targets/batch', { items: [
        ...YEARS.map((y, k) => (k === 0 && i.range2025
          ? { indicatorId: created.id, period: String(y), min: i.range2025[0], max: i.range2025[1] }
          : { indicatorId: created.id, period: String(y), value: i.targets[k] })),
        ...q.map((v, k) => ({ indicatorId: created.id, period: `2025Q${k + 1}`, value: v })),
      ] });
      out.indicators.push({ id: created.id, code: i.code, elementId: el.id, target: i.targets[0], range: i.range2025, quarters: q });
    }
    if (n.budget2025) {
      await api('PUT', `/v1/elements/${el.id}/budgets/2025`, { allocated: n.budget2025[0], realized: n.budget2025[1] });
      if (n.level === 'program') out.budget.push({ elementId: el.id, amount: n.budget2025[0] });
    }
    if (n.children) await loadTree(api, planId, n.children, supportsByCode, el.id, out, ids);
  }
  return ids;
}

/** Realisasi of the first three quarters of 2025, a little above or below each quarter's target. */
async function measureQuarters(api: Call, out: Loaded) {
  if (!out.indicators.length) return;
  const factors = [0.95, 1.02, 0.88, 1.1];
  await api('POST', '/v1/measurements/batch', { items: out.indicators.flatMap((ind, k) => [0, 1, 2].map((q) => ({
    indicatorId: ind.id, period: `2025Q${q + 1}`,
    value: Math.round(ind.quarters[q] * factors[(k + q) % factors.length] * 100) / 100,
    note: 'Data dari laporan triwulan perangkat daerah',
  }))) });
}

/** Loads the demo region through the API (idempotent: nothing when its regency exists). */
export async function seedDemo(api: Call, log: (line: string) => void): Promise<boolean> {
  const existing = await api<Page<Created>>('GET', `/v1/agencies?code=${REGENCY.code}`);
  if (existing.data.length) {
    log(`Demo region ${REGENCY.code} (${REGENCY.name}) already exists; nothing to do.`);
    return false;
  }
  // The national root with a small RPJMN (unless a national agency exists), then the province.
  const nationals = await api<Page<Named>>('GET', '/v1/agencies?kind=national');
  const national = nationals.data[0] ?? await api<Named>('POST', '/v1/agencies', NATIONAL);
  const alignTo = new Map<string, string>();
  const upper = { national: newOut(), province: newOut() };
  if (!nationals.data.length) {
    const rpjmn = await api<Created>('POST', `/v1/agencies/${national.id}/plans`, { kind: 'rpjmn', title: 'RPJMN 2025-2029', startYear: 2025, endYear: 2029 });
    for (const [k, v] of await loadTree(api, rpjmn.id, RPJMN, new Map(), null, upper.national)) alignTo.set(k, v);
    log(`${national.name}: RPJMN with ${alignTo.size} elements`);
  }
  const province = await api<Created>('POST', '/v1/agencies', { ...PROVINCE, parentId: national.id });
  const provincePlan = await api<Created>('POST', `/v1/agencies/${province.id}/plans`, { kind: 'rpjmd', title: 'RPJMD Provinsi Jawa Sukamaju 2025-2029', startYear: 2025, endYear: 2029 });
  for (const [k, v] of await loadTree(api, provincePlan.id, PROVINCE_RPJMD, alignTo, null, upper.province)) alignTo.set(k, v);
  log(`${PROVINCE.name}: RPJMD aligned to the RPJMN`);

  const regency = await api<Created>('POST', '/v1/agencies', { ...REGENCY, parentId: province.id });
  const rpjmd = await api<Created>('POST', `/v1/agencies/${regency.id}/plans`, { kind: 'rpjmd', title: 'RPJMD Kabupaten Sukamaju 2025-2029', startYear: 2025, endYear: 2029 });
  const rOut = newOut();
  const rpjmdIds = await loadTree(api, rpjmd.id, RPJMD, alignTo, null, rOut);
  log(`${REGENCY.name}: RPJMD with ${rpjmdIds.size} elements, aligned to the province and the RPJMN`);
  const departments: Array<{ id: string; code: string; out: Loaded; ids: Map<string, string> }> = [];

  for (const [n, d] of DEPARTMENTS.entries()) {
    const agency = await api<Created>('POST', '/v1/agencies', { code: d.code, name: d.name, kind: 'department', parentId: regency.id });
    const plan = await api<Created>('POST', `/v1/agencies/${agency.id}/plans`, { kind: 'renstra', title: d.plan, startYear: 2025, endYear: 2029 });
    const out = newOut();
    const ids = await loadTree(api, plan.id, d.tree, rpjmdIds, null, out);
    // Perjanjian Kinerja 2025: signed by every department but the last, which keeps a draft.
    await api('PUT', `/v1/agencies/${agency.id}/agreements/2025`, {
      items: out.indicators.map((i) => (i.range ? { indicatorId: i.id, targetMin: i.range[0], targetMax: i.range[1] } : { indicatorId: i.id, target: i.target })),
      budget: out.budget,
    });
    if (n < DEPARTMENTS.length - 1) await api('POST', `/v1/agencies/${agency.id}/agreements/2025/sign`, { signedBy: `Kepala ${d.name} Kabupaten Sukamaju` });
    // Realisasi of the first three quarters of 2025, a little above or below each quarter's target.
    await measureQuarters(api, out);
    departments.push({ id: agency.id, code: d.code, out, ids });
    log(`${d.name} (${d.code}): Renstra with ${ids.size} elements, ${out.indicators.length} indicators, 2025 Q1-Q3 measured`);
  }
  for (const out of [upper.national, upper.province, rOut]) await measureQuarters(api, out);
  await seedPlanningCycle(api, { regencyObjectiveId: rpjmdIds.get('T1.S1')!, regency: rOut, departments }, log);
  log('Demo region loaded.');
  return true;
}
