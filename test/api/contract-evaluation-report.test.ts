/**
 * Contract walk, as an integrator (a regional SIM, an evaluator's tool) sees the service: an
 * agency's year built through the public API only, then the LKjIP checked to the letter and to the
 * cent against figures computed by hand here (DOMAIN.md "Achievement", "Report", "Agreement"), its
 * submission, the lock, and the evaluation -> recommendation -> follow-up cycle.
 */
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { compactVerify, createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type Json, type TestApp } from '../helpers/app.js';
import { createElement, createIndicator, createPlan, expectProblem, putTarget } from '../helpers/planning.js';

let t: TestApp;
let root: Json, dinas: Json, other: Json;
let op: Client, otherOp: Client, viewer: Client, evaluator: Client;
const ind: Record<string, Json> = {};
const el: Record<string, Json> = {};

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const canonical = (v: unknown): string => (v === null || typeof v !== 'object' ? JSON.stringify(v)
  : Array.isArray(v) ? `[${v.map(canonical).join(',')}]`
    : `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Json)[k])}`).join(',')}}`);
const sha256 = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');
const withoutTime = (r: Json) => ({ ...r, generatedAt: undefined });

function expectStatus(res: { statusCode: number; body: string }, status: number) {
  expect(res.statusCode, res.body).toBe(status);
}
async function measure(code: string, period: string, value: number | string) {
  const res = await op.put(`/v1/indicators/${ind[code].id}/measurements/${period}`, { value });
  expect([200, 201], res.body).toContain(res.statusCode);
}
const agreementUrl = (year: number) => `/v1/agencies/${dinas.id}/agreements/${year}`;

/** Renstra 2023-2027 of Dinas, built by its operator as a planning officer would. */
async function buildYear() {
  const plan = await createPlan(op, dinas.id, { startYear: 2023, endYear: 2027 });
  const goal = await createElement(op, plan.id, { level: 'goal', code: 'T.1' });
  for (const code of ['S.10', 'S.2', 'S.1']) el[code] = await createElement(op, plan.id, { level: 'objective', code, title: `Sasaran ${code}`, parentId: goal.id });
  el['P.1'] = await createElement(op, plan.id, { level: 'program', code: 'P.1', parentId: el['S.1'].id });
  el['K.1'] = await createElement(op, plan.id, { level: 'activity', code: 'K.1', parentId: el['P.1'].id });
  el['K.2'] = await createElement(op, plan.id, { level: 'activity', code: 'K.2', parentId: el['P.1'].id });
  el['P.2'] = await createElement(op, plan.id, { level: 'program', code: 'P.2', parentId: el['S.1'].id });
  el['K.3'] = await createElement(op, plan.id, { level: 'activity', code: 'K.3', parentId: el['P.2'].id });
  await createIndicator(op, el['P.1'].id, { code: 'IKP.1' }); // on a program: not part of the report

  const mk = async (code: string, on: string, body: Json = {}) => { ind[code] = await createIndicator(op, el[on].id, { code, ...body }); };
  await mk('IK.1', 'S.1', { aggregation: 'sum', isKey: true, unit: 'indeks', name: 'Indeks kepuasan masyarakat' });
  await mk('IK.2', 'S.1', { aggregation: 'last', polarity: 'lower_is_better', type: 'output' });
  await mk('IK.3', 'S.1', { aggregation: 'average' });
  await mk('IK.4', 'S.1', { aggregation: 'average' });
  await mk('IK.5', 'S.1', { aggregation: 'sum' });
  await mk('IK.6', 'S.2', {});
  await mk('IK.7', 'S.2', { polarity: 'lower_is_better' });
  await mk('IK.8', 'S.2', {});
  await mk('IK.9', 'S.2', {});
  await mk('IK.10', 'S.2', {});
  await mk('IK.11', 'S.2', { polarity: 'lower_is_better' });
  const bands = ['B.91', 'B.76', 'B.7599', 'B.66', 'B.6599', 'B.51', 'B.5099'];
  for (const b of bands) await mk(b, 'S.2', { aggregation: 'sum' });

  // Targets: single PUTs and a batch with natural keys.
  for (const [code, period, value] of [
    ['IK.1', '2025', 100], ['IK.1', '2025Q1', 20], ['IK.1', '2025Q2', 25], ['IK.1', '2024', 50], ['IK.1', '2027', 150],
    ['IK.2', '2025', 10], ['IK.2', '2025Q1', 12], ['IK.3', '2025', 3], ['IK.4', '2025', 0.0003], ['IK.5', '2025', 100],
    ['IK.6', '2025', 0], ['IK.7', '2025', 0], ['IK.8', '2025', -5], ['IK.9', '2025', 50], ['IK.11', '2025', 10],
  ] as const) await putTarget(op, ind[code].id, period, value);
  const tb = await op.post('/v1/targets/batch', { items: bands.map((b) => ({ agencyCode: dinas.code, indicatorCode: b, period: '2025', value: 100 })) });
  expectStatus(tb, 200);
  expect(tb.json().summary).toMatchObject({ received: 7, created: 7, rejected: 0 });

  // Measurements (realisasi): PUTs, a verification, a returned one, and a batch of annual values.
  await measure('IK.1', '2025Q1', 18.5);
  await measure('IK.1', '2025Q2', 30);
  await measure('IK.1', '2025Q3', 22);
  await measure('IK.1', '2025Q4', '25.25');
  await measure('IK.1', '2024', 60);
  await measure('IK.1', '2023Q1', 40);
  expectStatus(await op.post(`/v1/indicators/${ind['IK.1'].id}/measurements/2025Q1/verification`, { decision: 'verified' }), 200);
  const returned = await op.post(`/v1/indicators/${ind['IK.1'].id}/measurements/2025Q3/verification`, { decision: 'returned', comment: 'Bukti dukung belum lengkap' });
  expectStatus(returned, 200);
  expect(returned.json().status).toBe('returned');
  await measure('IK.2', '2025Q1', 12);
  await measure('IK.2', '2025Q3', 10.9);
  for (const [p, v] of [['2025Q1', '1.1111'], ['2025Q2', '2.2222'], ['2025Q3', '3.3334']]) await measure('IK.3', p, v);
  await measure('IK.4', '2025Q1', 0.0002);
  await measure('IK.4', '2025Q2', 0.0003);
  await measure('IK.5', '2025Q1', 50);
  await measure('IK.5', '2025Q2', 50);
  await measure('IK.5', '2025', 90.99);
  await measure('IK.7', '2025Q1', 2);
  await measure('IK.8', '2025Q1', 3);
  await measure('IK.9', '2025', 40);
  expectStatus(await op.post(`/v1/indicators/${ind['IK.9'].id}/measurements/2025/verification`, { decision: 'returned', comment: 'Data tidak valid' }), 200);
  await measure('IK.10', '2025Q1', 7);
  await measure('IK.11', '2025', 25);
  const values: Record<string, number> = { 'B.91': 91, 'B.76': 76, 'B.7599': 75.99, 'B.66': 66, 'B.6599': 65.99, 'B.51': 51, 'B.5099': 50.99 };
  const mb = await op.post('/v1/measurements/batch', { items: [
    { indicatorId: ind['IK.6'].id, period: '2025', value: 0 },
    ...bands.map((b) => ({ agencyCode: dinas.code, indicatorCode: b, period: '2025', value: values[b] })),
  ] });
  expectStatus(mb, 200);
  expect(mb.json().summary).toEqual({ received: 8, created: 8, updated: 0, unchanged: 0, rejected: 0 });

  // Budgets: S.1 and P.1 are covered by their budgeted descendants; K.3 only has 2024.
  for (const [code, year, allocated, realized] of [
    ['S.1', 2025, 9999, 9999], ['P.1', 2025, 1000, 900], ['K.1', 2025, 400, 300.5], ['K.2', 2025, 500, 450],
    ['P.2', 2025, 100, 100], ['K.3', 2024, 777, 777], ['S.10', 2025, 200, 0],
  ] as const) expect([200, 201]).toContain((await op.put(`/v1/elements/${el[code].id}/budgets/${year}`, { allocated, realized })).statusCode);

  // Agreements: 2024 signed; 2025 v1 signed, v2 signed (supersedes, does not list IK.2), v3 draft.
  const sign = async (year: number) => expectStatus(await op.post(`${agreementUrl(year)}/sign`, { signedBy: 'Kepala Dinas' }), 200);
  expectStatus(await op.put(agreementUrl(2024), { items: [{ indicatorId: ind['IK.1'].id, target: 75 }] }), 201);
  await sign(2024);
  expectStatus(await op.put(agreementUrl(2025), { items: [{ indicatorId: ind['IK.1'].id, target: 120 }, { indicatorId: ind['IK.2'].id, target: 5 }] }), 201);
  await sign(2025);
  expectStatus(await op.put(agreementUrl(2025), { items: [{ indicatorId: ind['IK.1'].id, target: 80 }], budget: [{ elementId: el['P.1'].id, amount: 1000 }] }), 201);
  await sign(2025);
  const draft = await op.put(agreementUrl(2025), { items: [{ indicatorId: ind['IK.1'].id, target: 1000 }, { indicatorId: ind['IK.2'].id, target: 1 }] });
  expectStatus(draft, 201);
  expect(draft.json()).toMatchObject({ version: 3, status: 'draft', signedBy: null, signedAt: null });
}

beforeAll(async () => {
  t = await createTestApp();
  root = await t.agency({ kind: 'province', name: 'Pemerintah Provinsi Uji' });
  dinas = await t.agency({ parentId: root.id, name: 'Dinas Kesehatan' });
  other = await t.agency({ parentId: root.id, name: 'Dinas Pendidikan' });
  [op, otherOp, viewer, evaluator] = await Promise.all([t.as('operator', dinas.id), t.as('operator', other.id), t.as('viewer', root.id), t.as('evaluator')]);
  await buildYear();
}, 120_000);
afterAll(async () => { await t?.close(); });

const q = (period: string, target: number | null, realization: number | null, achievement: number | null) => ({ period, target, realization, achievement });
const noHistory = [{ year: 2024, realization: null, achievement: null }, { year: 2023, realization: null, achievement: null }];
/** An indicator line of the report whose quarters carry no target (so no quarter achievement). */
function line(code: string, target: number | null, realization: number | null, achievement: number | null, category: string, quarters?: Json[]): Json {
  const i = ind[code];
  return {
    indicatorId: i.id, code, name: i.name, type: i.type, unit: i.unit, polarity: i.polarity, aggregation: i.aggregation, isKey: i.isKey,
    target, targetRange: null, realization, achievement, category, analysis: null,
    quarters: quarters ?? ['2025Q1', '2025Q2', '2025Q3', '2025Q4'].map((p) => q(p, null, null, null)),
    previousYears: noHistory, planEndTarget: null, planProgress: null,
  };
}

/** Every figure of the 2025 LKjIP, computed by hand from buildYear(). */
function expectedReport(): Json {
  const annual = (code: string, r: number | null) => ['2025Q1', '2025Q2', '2025Q3', '2025Q4'].map((p) => q(p, null, p === '2025Q1' ? r : null, null));
  const element = (code: string) => ({ id: el[code].id, planId: el[code].planId, parentId: el[code].parentId, level: 'objective', code, title: `Sasaran ${code}`, supports: [] });
  return {
    agency: { id: dinas.id, code: dinas.code, name: dinas.name, kind: 'department' },
    year: 2025, targetBasis: 'agreement', agreementVersion: 2, generatedAt: undefined,
    // very_high: IK.1 IK.2 IK.4 IK.6 B.91; high: IK.5 B.76; medium: IK.3 B.7599 B.66; low: B.6599 B.51;
    // very_low: IK.7 IK.11 B.5099. Mean of the 15 computable: 1025.22 / 15 = 68.348 -> 68.35.
    summary: { indicators: 18, byCategory: { very_high: 5, high: 2, medium: 3, low: 2, very_low: 3, not_computable: 1, no_data: 2 }, meanAchievement: 68.35 },
    objectives: [
      // efficiency: mean (92.19 + 91 + 74.07 + 100 + 90.99) / 5 = 89.65; / 85.05 = 1.05408 -> 1.054
      { element: element('S.1'), budget: { allocated: 1000, realized: 850.5, absorption: 85.05 }, efficiency: { index: 1.054, category: 'efficient' }, indicators: [
        // v2 target 80 (not v1's 120, not the draft's 1000); 18.5 + 30 + 25.25 (Q3 returned) = 73.75 -> 92.1875%.
        { ...line('IK.1', 80, 73.75, 92.19, 'very_high', [q('2025Q1', 20, 18.5, 92.5), q('2025Q2', 25, 30, 120), q('2025Q3', null, null, null), q('2025Q4', null, 25.25, null)]),
          previousYears: [{ year: 2024, realization: 60, achievement: 80 }, { year: 2023, realization: 40, achievement: null }],
          planEndTarget: 150, planProgress: 49.17 },
        // not in v2: own target 10; last = Q3 10.9; (20 - 10.9) / 10 = 91.00% exactly.
        line('IK.2', 10, 10.9, 91, 'very_high', [q('2025Q1', 12, 12, 100), q('2025Q2', null, null, null), q('2025Q3', null, 10.9, null), q('2025Q4', null, null, null)]),
        // (1.1111 + 2.2222 + 3.3334) / 3 = 2.22223.. -> 2.2222; / 3 = 74.0733%.
        line('IK.3', 3, 2.2222, 74.07, 'medium', [q('2025Q1', null, 1.1111, null), q('2025Q2', null, 2.2222, null), q('2025Q3', null, 3.3334, null), q('2025Q4', null, null, null)]),
        // (0.0002 + 0.0003) / 2 = 0.00025 -> 0.0003 (half up; unrounded it would be 83.33%).
        line('IK.4', 0.0003, 0.0003, 100, 'very_high', [q('2025Q1', null, 0.0002, null), q('2025Q2', null, 0.0003, null), q('2025Q3', null, null, null), q('2025Q4', null, null, null)]),
        // the annual 90.99 overrides 50 + 50.
        line('IK.5', 100, 90.99, 90.99, 'high', [q('2025Q1', null, 50, null), q('2025Q2', null, 50, null), q('2025Q3', null, null, null), q('2025Q4', null, null, null)]),
      ] },
      { element: element('S.2'), budget: { allocated: 0, realized: 0, absorption: null }, efficiency: { index: null, category: 'not_computable' }, indicators: [
        // codes sort as a planner reads them: B.91 before B.5099, B.* before IK.*
        line('B.51', 100, 51, 51, 'low'), line('B.66', 100, 66, 66, 'medium'), line('B.76', 100, 76, 76, 'high'),
        line('B.91', 100, 91, 91, 'very_high'), line('B.5099', 100, 50.99, 50.99, 'very_low'),
        line('B.6599', 100, 65.99, 65.99, 'low'), line('B.7599', 100, 75.99, 75.99, 'medium'),
        line('IK.6', 0, 0, 100, 'very_high'), // T = 0, higher: R >= 0 meets it
        line('IK.7', 0, 2, 0, 'very_low', annual('IK.7', 2)), // T = 0, lower: R > 0 misses it
        line('IK.8', -5, 3, null, 'not_computable', annual('IK.8', 3)), // T < 0
        line('IK.9', 50, null, null, 'no_data'), // only a returned measurement
        line('IK.10', null, 7, null, 'no_data', annual('IK.10', 7)), // no target
        line('IK.11', 10, 25, 0, 'very_low'), // lower: (20 - 25) / 10 floored at 0
      ] },
      { element: element('S.10'), budget: { allocated: 200, realized: 0, absorption: 0 }, efficiency: { index: null, category: 'not_computable' }, indicators: [] },
    ],
  };
}

let report: Json;
describe('LKjIP report built through the API', () => {
  it('matches the hand-computed figures to the cent', async () => {
    const res = await viewer.get(`/v1/agencies/${dinas.id}/reports/2025`);
    expectStatus(res, 200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    report = res.json();
    expect(report.generatedAt).toMatch(RFC3339_UTC);
    expect(withoutTime(report)).toEqual(expectedReport());
    expect(Object.keys(report.objectives[0].indicators[0]).sort()).toEqual([
      'achievement', 'aggregation', 'analysis', 'category', 'code', 'indicatorId', 'isKey', 'name', 'planEndTarget', 'planProgress',
      'polarity', 'previousYears', 'quarters', 'realization', 'target', 'targetRange', 'type', 'unit']);
  });

  it('lets viewers and evaluators read, hides it from another agency\'s operator, needs a token', async () => {
    const url = `/v1/agencies/${dinas.id}/reports/2025`;
    const again = await evaluator.get(url);
    expect(withoutTime(again.json())).toEqual(withoutTime(report));
    // a single resource carries an ETag; the same figures give the same (weak) one
    expect(again.headers.etag).toMatch(/^W\/".+"$/);
    expect((await viewer.get(url)).headers.etag).toBe(again.headers.etag);
    expectProblem(await otherOp.get(url), 404, 'not-found');
    expectProblem(await t.anonymous.get(url), 401, 'unauthorized');
    expectProblem(await op.get(`/v1/agencies/${dinas.id}/reports/25`), 400, 'validation');
  });

  it('gives the same figures as CSV, one row per indicator', async () => {
    const res = await op.get(`/v1/agencies/${dinas.id}/reports/2025`, { accept: 'text/csv' });
    expectStatus(res, 200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.body.startsWith('\uFEFF')).toBe(true);
    expect(res.headers.etag).toMatch(/^".+"$/);
    const rows: Record<string, string>[] = parse(res.body.slice(1), { columns: true });
    expect(rows).toHaveLength(18);
    const flat = report.objectives.flatMap((o: Json) => o.indicators.map((i: Json) => ({ o, i })));
    rows.forEach((row, n) => {
      const { o, i } = flat[n];
      const cell = (v: unknown) => (v === null ? '' : String(v));
      expect(row).toMatchObject({
        agency_code: dinas.code, year: '2025', objective_code: o.element.code, indicator_code: i.code,
        target: cell(i.target), realization: cell(i.realization), achievement: cell(i.achievement), category: i.category,
      });
    });
    expect(rows.find((r) => r.indicator_code === 'IK.1')).toMatchObject({ target: '80', realization: '73.75', achievement: '92.19', q1_achievement: '92.5', plan_progress: '49.17' });
  });

  it('pages GET /v1/reports/{year} and streams it as NDJSON', async () => {
    const seen: Json[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.admin.get(`/v1/reports/2025?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expectStatus(res, 200);
      const page = res.json();
      expect(Object.keys(page).sort()).toEqual(['data', 'nextCursor']);
      expect(page.data.length).toBeLessThanOrEqual(1);
      seen.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((r) => r.agency.id).sort()).toEqual([root.id, dinas.id, other.id].sort());
    expect(withoutTime(seen.find((r) => r.agency.id === dinas.id))).toEqual(withoutTime(report));
    expect((await t.admin.get(`/v1/reports/2025?parentId=${root.id}`)).json().data.map((r: Json) => r.agency.id).sort()).toEqual([dinas.id, other.id].sort());
    expect((await t.admin.get('/v1/reports/2025?kind=province')).json().data.map((r: Json) => r.agency.id)).toEqual([root.id]);
    expect((await op.get('/v1/reports/2025')).json().data.map((r: Json) => r.agency.id)).toEqual([dinas.id]);
    expectProblem(await t.admin.get('/v1/reports/2025?limit=501'), 400, 'validation');

    const nd = await viewer.get('/v1/reports/2025', { accept: 'application/x-ndjson' });
    expectStatus(nd, 200);
    expect(nd.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = nd.body.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(withoutTime(lines.find((r) => r.agency.id === dinas.id))).toEqual(withoutTime(report));
  });
});

describe('submission freezes, signs and locks the year', () => {
  const subUrl = () => `/v1/agencies/${dinas.id}/reports/2025/submissions`;
  let first: Json;

  it('is for operators and admins of the agency only', async () => {
    expectProblem(await viewer.post(subUrl()), 403, 'forbidden');
    expectProblem(await evaluator.post(subUrl()), 403, 'forbidden');
    expectProblem(await otherOp.post(subUrl()), 404, 'not-found');
  });

  it('answers version, digest (SHA-256 of the canonical JSON) and a JWS verifying with the JWKS', async () => {
    const res = await op.post(subUrl());
    expectStatus(res, 201);
    first = res.json();
    expect(first).toMatchObject({ version: 1, digest: expect.stringMatching(/^[0-9a-f]{64}$/), submittedAt: expect.stringMatching(RFC3339_UTC), jws: expect.any(String) });
    const jwks = (await t.anonymous.get('/.well-known/jwks.json')).json();
    const { payload } = await compactVerify(first.jws, createLocalJWKSet(jwks));
    const snapshot = JSON.parse(new TextDecoder().decode(payload));
    expect(sha256(canonical(snapshot))).toBe(first.digest);
    expect(sha256(payload)).toBe(first.digest);
    expect(withoutTime(snapshot)).toEqual(expectedReport());
    const stored = await viewer.get(`${subUrl()}/1`);
    expectStatus(stored, 200);
    expect(sha256(canonical(stored.json().report))).toBe(first.digest);
    expect(stored.json()).toMatchObject({ version: 1, digest: first.digest, jws: first.jws });
    expect(stored.headers.etag).toMatch(/^".+"$/);
  });

  it('refuses every write to the year with 409 period-locked and changes nothing', async () => {
    const m = (code: string, p: string) => `/v1/indicators/${ind[code].id}/measurements/${p}`;
    const refused = [
      await op.put(m('IK.1', '2025Q4'), { value: 99 }),
      await op.put(m('IK.1', '2025Q4'), { value: '25.25' }), // even when it would change nothing
      await op.put(m('IK.6', '2025'), { value: 5 }),
      await op.post(`${m('IK.1', '2025Q2')}/verification`, { decision: 'returned', comment: 'cek ulang' }),
      await op.put(`/v1/indicators/${ind['IK.1'].id}/targets/2025`, { value: 1 }),
      await op.put(`/v1/indicators/${ind['IK.1'].id}/targets/2025Q3`, { value: 1 }),
      await op.put(`/v1/elements/${el['K.1'].id}/budgets/2025`, { allocated: 1, realized: 1 }),
      await op.put(agreementUrl(2025), { items: [] }),
      await op.post(`${agreementUrl(2025)}/sign`, { signedBy: 'Kepala Dinas' }),
      await t.admin.put(m('IK.2', '2025Q4'), { value: 1 }),
    ];
    for (const res of refused) {
      expectProblem(res, 409, 'period-locked');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().detail).toEqual(expect.any(String));
    }
    const batch = await op.post('/v1/measurements/batch', { items: [{ indicatorId: ind['IK.1'].id, period: '2025Q2', value: 1 }] });
    expectStatus(batch, 200);
    expect(batch.json().summary).toMatchObject({ received: 1, rejected: 1, created: 0, updated: 0 });
    const tbatch = await op.post('/v1/targets/batch', { items: [{ indicatorId: ind['IK.1'].id, period: '2025', value: 1 }] });
    expect(tbatch.json().summary).toMatchObject({ received: 1, rejected: 1 });

    expect(withoutTime((await op.get(`/v1/agencies/${dinas.id}/reports/2025`)).json())).toEqual(expectedReport());
    expect((await op.get(agreementUrl(2025))).json()).toMatchObject({ version: 3, status: 'draft' });
    expectProblem(await op.post(subUrl()), 409, 'period-locked');
    // another year stays open
    expect((await op.put(`/v1/indicators/${ind['IK.1'].id}/targets/2026`, { value: 120 })).statusCode).toBe(201);
  });

  it('accepts the first submission of a year its operator locked by hand, then refuses a second', async () => {
    const url = `/v1/agencies/${other.id}/reports/2025/submissions`;
    expectStatus(await otherOp.put(`/v1/agencies/${other.id}/locks/2025`, { reason: 'Data realisasi final' }), 201);
    const res = await otherOp.post(url);
    expectStatus(res, 201);
    expect(res.json().version).toBe(1);
    expectProblem(await otherOp.post(url), 409, 'period-locked');
  });

  it('after an admin unlock, a change and a second submission give version 2', async () => {
    expectProblem(await op.delete(`/v1/agencies/${dinas.id}/locks/2025`), 403, 'forbidden');
    expectStatus(await t.admin.delete(`/v1/agencies/${dinas.id}/locks/2025`), 204);
    await measure('IK.1', '2025Q4', '26.25'); // 74.75 / 80 = 93.4375%
    const res = await op.post(subUrl());
    expectStatus(res, 201);
    const second = res.json();
    expect(second.version).toBe(2);
    expect(second.digest).not.toBe(first.digest);
    const snap = (await op.get(`${subUrl()}/2`)).json().report;
    expect(snap.objectives[0].indicators[0]).toMatchObject({ realization: 74.75, achievement: 93.44, category: 'very_high' });
    expect(snap.summary.meanAchievement).toBe(68.43); // (102522 + 125) / 15 = 6843.13.. hundredths
    const list = (await viewer.get(subUrl())).json();
    expect(list.nextCursor).toBeNull();
    expect(list.data.map((s: Json) => [s.version, s.digest])).toEqual([[1, first.digest], [2, second.digest]]);
    expectProblem(await viewer.get(`${subUrl()}/3`), 404, 'not-found');
  });
});

const BUILT_IN_ID = '01900000-0000-7000-8000-000000882021';
/** A sheet of the built-in framework scoring exactly 90.00: every criterion full marks except
 * planning.fulfillment 3/4 (4.5 of 6), reporting.fulfillment 2/3 (2 of 3), reporting.utilization
 * 2/3 (5 of 7.5) and internal_evaluation.fulfillment 0 (of 5): 100 - 1.5 - 1 - 2.5 - 5 = 90. */
function sheet90(framework: Json): Json[] {
  const low: Record<string, string> = { 'pk-1a-04': 'T', 'pk-3a-01': 'T', 'pk-3c-03': 'D', 'pk-4a-01': 'T', 'pk-4a-02': 'D', 'pk-4a-03': 'D' };
  return framework.components.flatMap((c: Json) => c.subComponents.flatMap((s: Json) => s.criteria.map((cr: Json) => (
    { criterionId: cr.id, answer: low[cr.id] ?? (cr.scale === 'YT' ? 'Y' : 'A') }))));
}

describe('evaluation, recommendations and follow-up', () => {
  let framework: Json, evaluation: Json;
  const recs: Record<string, Json> = {};

  it('serves the built-in framework by id and by code', async () => {
    const list = await viewer.get('/v1/evaluation-frameworks');
    expectStatus(list, 200);
    expect(list.json()).toMatchObject({ data: expect.any(Array), nextCursor: null });
    const byId = await viewer.get(`/v1/evaluation-frameworks/${BUILT_IN_ID}`);
    const byCode = await viewer.get('/v1/evaluation-frameworks/permenpanrb-88-2021');
    expectStatus(byId, 200);
    expect(byCode.json()).toEqual(byId.json());
    framework = byId.json();
    expect(framework).toMatchObject({ id: BUILT_IN_ID, code: 'permenpanrb-88-2021', name: expect.any(String) });
    expect(framework.components.map((c: Json) => [c.code, c.weight, c.subComponents.map((s: Json) => s.weight)])).toEqual([
      ['planning', 30, [6, 9, 15]], ['measurement', 30, [6, 9, 15]], ['reporting', 15, [3, 4.5, 7.5]], ['internal_evaluation', 25, [5, 7.5, 12.5]],
    ]);
    for (const s of framework.components.flatMap((c: Json) => c.subComponents)) {
      expect(s).toMatchObject({ code: expect.any(String), name: expect.any(String) });
      expect(s.criteria.length).toBeGreaterThanOrEqual(3);
      for (const cr of s.criteria) expect(cr).toEqual({ id: expect.any(String), code: expect.any(String), text: expect.any(String), scale: expect.stringMatching(/^(ABCD|YT)$/) });
    }
    expectProblem(await viewer.get('/v1/evaluation-frameworks/no-such-framework'), 404, 'not-found');
    // a uuid-shaped code could never be named in a path (a uuid there means the id)
    const one = { code: 'c', name: 'c', weight: 100, subComponents: [{ code: 's', name: 's', weight: 100, criteria: [{ id: 'k1', text: 'Ada', scale: 'YT' }] }] };
    const uuidCode = await t.admin.post('/v1/evaluation-frameworks', { code: '01900000-0000-7000-8000-00000000beef', name: 'x', components: [one] });
    expectProblem(uuidCode, 400, 'validation');
    expect(uuidCode.json().errors[0].path).toBe('code');
  });

  it('is started by evaluators only, with the framework named by code', async () => {
    const url = `/v1/agencies/${dinas.id}/evaluations`;
    expectProblem(await op.post(url, { year: 2025, frameworkId: 'permenpanrb-88-2021' }), 403, 'forbidden');
    expectProblem(await evaluator.post(url, { year: 2025, frameworkId: 'no-such-framework' }), 400, 'validation');
    const res = await evaluator.post(url, { year: 2025, frameworkId: 'permenpanrb-88-2021' });
    expectStatus(res, 201);
    evaluation = res.json();
    expect(evaluation).toMatchObject({ id: expect.stringMatching(UUID), agencyId: dinas.id, year: 2025, frameworkId: BUILT_IN_ID, status: 'draft', total: 0, grade: 'D' });
    expect(evaluation.components.map((c: Json) => [c.code, c.score, c.subComponents.map((s: Json) => [s.code, s.score])])).toEqual(
      framework.components.map((c: Json) => [c.code, 0, c.subComponents.map((s: Json) => [s.code, 0])]));
    expectProblem(await evaluator.post(url, { year: 2025, frameworkId: BUILT_IN_ID }), 409, 'conflict');
  });

  it('scores 90.00 as A and 90.83 as AA, exactly', async () => {
    const url = `/v1/evaluations/${evaluation.id}/answers`;
    const at90 = await evaluator.put(url, { answers: sheet90(framework) });
    expectStatus(at90, 200);
    expect(at90.json()).toMatchObject({ total: 90, grade: 'A' });
    const score = (e: Json) => Object.fromEntries(e.components.flatMap((c: Json) => [[c.code, c.score], ...c.subComponents.map((s: Json) => [s.code, s.score])]));
    expect(score(at90.json())).toMatchObject({ planning: 28.5, 'planning.fulfillment': 4.5, reporting: 11.5, 'reporting.fulfillment': 2, 'reporting.utilization': 5, internal_evaluation: 20, 'internal_evaluation.fulfillment': 0 });

    // D -> C on pk-3c-03: 7.5 x (1 + 1 + 0.33) / 3 = 5.825 -> 5.83; reporting 12.325 -> 12.33; total 90.825 -> 90.83.
    const aa = await evaluator.put(url, { answers: [{ criterionId: 'pk-3c-03', answer: 'C', note: 'Sebagian rekomendasi LHE telah ditindaklanjuti' }] });
    expectStatus(aa, 200);
    expect(aa.json()).toMatchObject({ total: 90.83, grade: 'AA' });
    expect(score(aa.json())).toMatchObject({ reporting: 12.33, 'reporting.utilization': 5.83 });
    expect((await op.get(`/v1/evaluations/${evaluation.id}`)).json()).toMatchObject({ total: 90.83, grade: 'AA' });
  });

  it('refuses invalid answers naming the criterion, writing nothing', async () => {
    const url = `/v1/evaluations/${evaluation.id}/answers`;
    const scale = await evaluator.put(url, { answers: [{ criterionId: 'pk-1b-01', answer: 'D' }, { criterionId: 'pk-1a-02', answer: 'A' }] });
    expectProblem(scale, 400, 'validation');
    expect(scale.json().errors).toEqual([{ path: 'answers.1.answer', message: expect.stringContaining('pk-1a-02') }]);
    const unknown = await evaluator.put(url, { answers: [{ criterionId: 'pk-9z-99', answer: 'A' }] });
    expectProblem(unknown, 400, 'validation');
    expect(unknown.json().errors).toEqual([{ path: 'answers.0.criterionId', message: expect.stringContaining('pk-9z-99') }]);
    expectProblem(await viewer.put(url, { answers: [{ criterionId: 'pk-1b-01', answer: 'D' }] }), 403, 'forbidden');
    expectProblem(await otherOp.get(`/v1/evaluations/${evaluation.id}`), 404, 'not-found');
    expect((await evaluator.get(`/v1/evaluations/${evaluation.id}`)).json()).toMatchObject({ total: 90.83, grade: 'AA' });
  });

  it('is immutable once final', async () => {
    const fin = await evaluator.post(`/v1/evaluations/${evaluation.id}/finalize`);
    expectStatus(fin, 200);
    expect(fin.json()).toMatchObject({ status: 'final', total: 90.83, grade: 'AA', finalizedAt: expect.stringMatching(RFC3339_UTC) });
    for (const k of ['createdAt', 'updatedAt']) expect(fin.json()[k]).toMatch(RFC3339_UTC);
    expectProblem(await evaluator.post(`/v1/evaluations/${evaluation.id}/finalize`), 409, 'conflict');
    expectProblem(await evaluator.put(`/v1/evaluations/${evaluation.id}/answers`, { answers: [{ criterionId: 'pk-1b-01', answer: 'D' }] }), 409, 'conflict');
    const list = await viewer.get(`/v1/agencies/${dinas.id}/evaluations`);
    expect(list.json()).toMatchObject({ data: [{ id: evaluation.id, status: 'final', total: 90.83, grade: 'AA' }], nextCursor: null });
  });

  it('yields recommendations with overdue, followed up to a 100% rate by the right sides', async () => {
    const add = (body: Json) => evaluator.post(`/v1/evaluations/${evaluation.id}/recommendations`, body);
    expectProblem(await op.post(`/v1/evaluations/${evaluation.id}/recommendations`, { text: 'x', priority: 'high', dueDate: '2099-01-01' }), 403, 'forbidden');
    expectProblem(await add({ text: 'x', componentCode: 'budgeting', priority: 'high', dueDate: '2099-01-01' }), 400, 'validation');
    expectProblem(await add({ text: 'x', priority: 'urgent', dueDate: '2099-01-01' }), 400, 'validation');
    for (const [k, body] of Object.entries({
      late: { text: 'Tetapkan IKU secara formal', componentCode: 'planning', priority: 'high', dueDate: '2020-01-31' },
      later: { text: 'Publikasikan LKjIP tepat waktu', componentCode: 'reporting', priority: 'medium', dueDate: '2999-12-31' },
    })) {
      const res = await add(body);
      expectStatus(res, 201);
      recs[k] = res.json();
      expect(recs[k]).toEqual(expect.objectContaining({ id: expect.stringMatching(UUID), evaluationId: evaluation.id, agencyId: dinas.id, ...body, status: 'open' }));
    }
    for (const r of Object.values(recs)) for (const k of ['createdAt', 'updatedAt']) expect(r[k]).toMatch(RFC3339_UTC);
    expect(recs.late.overdue).toBe(true);
    expect(recs.later.overdue).toBe(false);
    const listed = await viewer.get(`/v1/agencies/${dinas.id}/recommendations?status=open&year=2025`);
    expect(listed.json().data.map((r: Json) => r.id).sort()).toEqual([recs.late.id, recs.later.id].sort());
    expect(listed.json().nextCursor).toBeNull();

    const status = (c: Client, k: string, s: string, comment?: string) => c.post(`/v1/recommendations/${recs[k].id}/status`, { status: s, ...(comment ? { comment } : {}) });
    const follow = (k: string) => op.post(`/v1/recommendations/${recs[k].id}/follow-ups`, { action: 'SK penetapan IKU diterbitkan', evidence: [{ title: 'SK Kepala Dinas', url: 'https://dinkes.example.go.id/sk-iku.pdf' }], progress: 50 });

    const f1 = await follow('late');
    expectStatus(f1, 201);
    expect(f1.json().recommendation).toMatchObject({ status: 'in_progress', overdue: true });
    expectProblem(await status(evaluator, 'late', 'completed'), 403, 'forbidden');
    expect((await status(op, 'late', 'completed')).json()).toMatchObject({ status: 'completed', overdue: false });
    expectProblem(await status(op, 'late', 'verified'), 403, 'forbidden');
    expectProblem(await follow('late'), 409, 'conflict');
    expect((await status(evaluator, 'late', 'in_progress', 'Bukti belum memadai')).json()).toMatchObject({ status: 'in_progress', overdue: true });
    expectStatus(await follow('late'), 201);
    expectStatus(await status(op, 'late', 'completed'), 200);
    expect((await status(evaluator, 'late', 'verified')).json()).toMatchObject({ status: 'verified', overdue: false });
    const closed = await status(t.admin, 'late', 'in_progress');
    expectProblem(closed, 409, 'conflict');
    expect(closed.json()).toMatchObject({ currentStatus: 'verified', allowed: [] });

    const skip = await status(op, 'later', 'completed');
    expectProblem(skip, 409, 'conflict');
    expect(skip.json()).toMatchObject({ currentStatus: 'open', allowed: ['in_progress'] });
    expectProblem(await status(viewer, 'later', 'in_progress'), 403, 'forbidden');
    expectProblem(await status(otherOp, 'later', 'in_progress'), 404, 'not-found');
    expectStatus(await status(op, 'later', 'in_progress'), 200);

    const summary = async () => {
      const res = await viewer.get(`/v1/agencies/${dinas.id}/follow-up-summary?year=2025`);
      expect(res.headers.etag).toMatch(/^".+"$/);
      return res.json();
    };
    expect(await summary()).toMatchObject({ agencyId: dinas.id, year: 2025, total: 2, byStatus: { open: 0, in_progress: 1, completed: 0, verified: 1 }, rate: 50 });
    expectStatus(await status(op, 'later', 'completed'), 200);
    expectStatus(await status(evaluator, 'later', 'verified'), 200);
    expect(await summary()).toMatchObject({ agencyId: dinas.id, year: 2025, total: 2, byStatus: { open: 0, in_progress: 0, completed: 0, verified: 2 }, rate: 100 });
    expect((await viewer.get(`/v1/agencies/${dinas.id}/follow-up-summary?year=2024`)).json()).toMatchObject({ total: 0, rate: 0 });
    expectProblem(await viewer.get(`/v1/agencies/${dinas.id}/follow-up-summary`), 400, 'validation');
    expectProblem(await otherOp.get(`/v1/agencies/${dinas.id}/follow-up-summary?year=2025`), 404, 'not-found');
    expectProblem(await otherOp.get(`/v1/agencies/${dinas.id}/recommendations`), 404, 'not-found');
    expectProblem(await otherOp.get(`/v1/agencies/${dinas.id}/evaluations`), 404, 'not-found');
    const otherEvaluator = await t.as('evaluator', other.id);
    expectProblem(await otherEvaluator.get(`/v1/recommendations/${recs.late.id}`), 404, 'not-found');
  });
});
