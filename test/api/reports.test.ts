import { createHash } from 'node:crypto';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { canonicalJson } from '../../src/modules/reports/submissions.js';
import { createTestApp, type Client, type Json, type TestApp } from '../helpers/app.js';
import { reportFixtures } from '../helpers/report-fixtures.js';

let t: TestApp;
let root: Json, agency: Json, sibling: Json, outsider: Json;
let expected: Json;

const q = (period: string, target: number | null, realization: number | null, achievement: number | null) => ({ period, target, realization, achievement });
const noQuarters = ['2025Q1', '2025Q2', '2025Q3', '2025Q4'].map((p) => q(p, null, null, null));
const noHistory = [{ year: 2024, realization: null, achievement: null }, { year: 2023, realization: null, achievement: null }];

/**
 * A Renstra 2021-2026 with hand-computed figures for 2025. Agreement 2025: v1 signed, v2 signed
 * (used), v3 draft (ignored).
 */
async function seed() {
  const f = reportFixtures(t.app.db);
  const plan = await f.plan(agency.id, { startYear: 2021, endYear: 2026 });
  const oldPlan = await f.plan(agency.id, { startYear: 2015, endYear: 2020 });
  await f.element(oldPlan, { level: 'objective', code: 'S.0' }); // plan does not cover 2025
  const goal = await f.element(plan, { level: 'goal', code: 'T.1' });
  const s1 = await f.element(plan, { level: 'objective', code: 'S.1', title: 'Meningkatnya kualitas layanan, "prima"', parentId: goal.id });
  const s10 = await f.element(plan, { level: 'objective', code: 'S.10', parentId: goal.id });
  const s2 = await f.element(plan, { level: 'objective', code: 'S.2', parentId: goal.id });

  // S.1 budget: S.1 and P1.1 have budgeted descendants, so only A1.1.1, A1.1.2 and P1.2 count.
  const p11 = await f.element(plan, { level: 'program', code: 'P1.1', parentId: s1.id });
  const a111 = await f.element(plan, { level: 'activity', code: 'A1.1.1', parentId: p11.id });
  const a112 = await f.element(plan, { level: 'activity', code: 'A1.1.2', parentId: p11.id });
  await f.element(plan, { level: 'sub_activity', code: 'SA1.1.1.1', parentId: a111.id });
  const p12 = await f.element(plan, { level: 'program', code: 'P1.2', parentId: s1.id });
  const a121 = await f.element(plan, { level: 'activity', code: 'A1.2.1', parentId: p12.id });
  await f.budget(s1.id, 2025, '5000', '1');
  await f.budget(p11.id, 2025, '1000', '800');
  await f.budget(a111.id, 2025, '400', '350');
  await f.budget(a112.id, 2025, '500', '300');
  await f.budget(p12.id, 2025, '200', '200.5');
  await f.budget(a121.id, 2024, '999', '999'); // another year: P1.2 stays a leaf for 2025
  const p21 = await f.element(plan, { level: 'program', code: 'P2.1', parentId: s2.id });
  await f.budget(p21.id, 2025, '0', '0');
  await f.indicator(p11, { code: 'IKP.1' }); // on a program: not in the report

  // IK1.1 sum: Q3 returned; agreement v2 target 80.
  const ik11 = await f.indicator(s1, { code: 'IK1.1', name: 'Indeks kepuasan', isKey: true, aggregation: 'sum', polarity: 'higher_is_better', unit: 'indeks' });
  await f.targets(ik11.id, { 2025: 100, '2025Q1': 20, '2025Q2': 25, '2025Q3': 25, '2025Q4': 30, 2024: 70, 2026: 150 });
  await f.measurements(ik11, [
    { period: '2025Q1', value: '18.5', status: 'verified' }, { period: '2025Q2', value: 30 },
    { period: '2025Q3', value: 22, status: 'returned' }, { period: '2025Q4', value: '25.25' },
    { period: '2024', value: 60, status: 'verified' }, { period: '2023Q1', value: 40 },
  ]);
  // IK1.2 last, lower is better; 2024's signed agreement overrides its 2024 target.
  const ik12 = await f.indicator(s1, { code: 'IK1.2', aggregation: 'last', polarity: 'lower_is_better', type: 'output' });
  await f.targets(ik12.id, { 2025: 10, 2024: 12, 2026: 5 });
  await f.measurements(ik12, [{ period: '2025Q1', value: 12 }, { period: '2025Q2', value: 9 }, { period: '2024Q1', value: 14 }, { period: '2024Q3', value: 11 }]);
  // IK1.3 average of three quarters, rounded to 4 places.
  const ik13 = await f.indicator(s1, { code: 'IK1.3', aggregation: 'average' });
  await f.targets(ik13.id, { 2025: 3 });
  await f.measurements(ik13, [{ period: '2025Q1', value: '1.1111' }, { period: '2025Q2', value: '2.2222' }, { period: '2025Q3', value: '3.3334' }]);

  // IK2.1 T = 0, lower is better, R = 2 -> 0; IK2.2 T < 0; IK2.3 only a returned annual value.
  const ik21 = await f.indicator(s2, { code: 'IK2.1', polarity: 'lower_is_better' });
  await f.targets(ik21.id, { 2025: 0, '2025Q1': 0 });
  await f.measurements(ik21, [{ period: '2025Q1', value: 1 }, { period: '2025Q2', value: 1 }]);
  const ik22 = await f.indicator(s2, { code: 'IK2.2' });
  await f.targets(ik22.id, { 2025: -5 });
  await f.measurements(ik22, [{ period: '2025Q1', value: 3 }]);
  const ik23 = await f.indicator(s2, { code: 'IK2.3' });
  await f.targets(ik23.id, { 2025: 50 });
  await f.measurements(ik23, [{ period: '2025', value: 40, status: 'returned' }]);
  // IK2.4: the annual measurement overrides the sum of the quarters; agreement v2 target 60.
  const ik24 = await f.indicator(s2, { code: 'IK2.4' });
  await f.targets(ik24.id, { 2025: 50, '2025Q1': 12, 2026: 100 });
  await f.measurements(ik24, [{ period: '2025Q1', value: 10 }, { period: '2025Q2', value: 10 }, { period: '2025', value: 55, status: 'verified' }]);

  await f.agreement(agency.id, 2025, 1, 'signed', [{ indicatorId: ik11.id, target: 90 }]);
  await f.agreement(agency.id, 2025, 2, 'signed', [{ indicatorId: ik11.id, target: 80 }, { indicatorId: ik24.id, target: 60 }]);
  await f.agreement(agency.id, 2025, 3, 'draft', [{ indicatorId: ik11.id, target: 70 }]);
  await f.agreement(agency.id, 2024, 1, 'signed', [{ indicatorId: ik12.id, target: '12.5' }]);

  const el = (e: Json) => ({ id: e.id, planId: plan.id, parentId: goal.id, level: 'objective', code: e.code, title: e.title, supports: [] });
  const ind = (i: Json) => ({ indicatorId: i.id, code: i.code, name: i.name, type: i.type, unit: i.unit, polarity: i.polarity, aggregation: i.aggregation, isKey: i.isKey, targetRange: null, analysis: null });
  expected = {
    agency: { id: agency.id, code: agency.code, name: agency.name, kind: agency.kind },
    year: 2025,
    targetBasis: 'agreement',
    agreementVersion: 2,
    summary: {
      indicators: 7,
      byCategory: { very_high: 3, high: 0, medium: 1, low: 0, very_low: 1, not_computable: 1, no_data: 1 },
      meanAchievement: 73.59, // (92.19 + 110 + 74.07 + 0 + 91.67) / 5 = 73.586
    },
    objectives: [
      {
        element: el(s1),
        indicators: [
          { ...ind(ik11), target: 80, realization: 73.75, achievement: 92.19, category: 'very_high', // 73.75 / 80
            quarters: [q('2025Q1', 20, 18.5, 92.5), q('2025Q2', 25, 30, 120), q('2025Q3', 25, null, null), q('2025Q4', 30, 25.25, 84.17)],
            previousYears: [{ year: 2024, realization: 60, achievement: 85.71 }, { year: 2023, realization: 40, achievement: null }],
            planEndTarget: 150, planProgress: 49.17 },
          { ...ind(ik12), target: 10, realization: 9, achievement: 110, category: 'very_high', // (20 - 9) / 10
            quarters: [q('2025Q1', null, 12, null), q('2025Q2', null, 9, null), q('2025Q3', null, null, null), q('2025Q4', null, null, null)],
            previousYears: [{ year: 2024, realization: 11, achievement: 112 }, { year: 2023, realization: null, achievement: null }], // (25 - 11) / 12.5
            planEndTarget: 5, planProgress: 20 },
          { ...ind(ik13), target: 3, realization: 2.2222, achievement: 74.07, category: 'medium',
            quarters: [q('2025Q1', null, 1.1111, null), q('2025Q2', null, 2.2222, null), q('2025Q3', null, 3.3334, null), q('2025Q4', null, null, null)],
            previousYears: noHistory, planEndTarget: null, planProgress: null },
        ],
        budget: { allocated: 1100, realized: 850.5, absorption: 77.32 },
        efficiency: { index: 1.191, category: 'efficient' }, // mean (92.19 + 110 + 74.07) / 3 = 92.09; / 77.32 = 1.19102
      },
      {
        element: el(s2),
        indicators: [
          { ...ind(ik21), target: 0, realization: 2, achievement: 0, category: 'very_low',
            quarters: [q('2025Q1', 0, 1, 0), q('2025Q2', null, 1, null), q('2025Q3', null, null, null), q('2025Q4', null, null, null)],
            previousYears: noHistory, planEndTarget: null, planProgress: null },
          { ...ind(ik22), target: -5, realization: 3, achievement: null, category: 'not_computable',
            quarters: [q('2025Q1', null, 3, null), q('2025Q2', null, null, null), q('2025Q3', null, null, null), q('2025Q4', null, null, null)],
            previousYears: noHistory, planEndTarget: null, planProgress: null },
          { ...ind(ik23), target: 50, realization: null, achievement: null, category: 'no_data',
            quarters: noQuarters, previousYears: noHistory, planEndTarget: null, planProgress: null },
          { ...ind(ik24), target: 60, realization: 55, achievement: 91.67, category: 'very_high',
            quarters: [q('2025Q1', 12, 10, 83.33), q('2025Q2', null, 10, null), q('2025Q3', null, null, null), q('2025Q4', null, null, null)],
            previousYears: noHistory, planEndTarget: 100, planProgress: 55 },
        ],
        budget: { allocated: 0, realized: 0, absorption: null },
        efficiency: { index: null, category: 'not_computable' }, // no absorption
      },
      { element: el(s10), indicators: [], budget: { allocated: 0, realized: 0, absorption: null }, efficiency: { index: null, category: 'not_computable' } },
    ],
  };
}

const withoutTime = (body: Json) => {
  const { generatedAt, ...rest } = body;
  expect(new Date(generatedAt).toISOString()).toBe(generatedAt);
  return rest;
};

beforeAll(async () => {
  t = await createTestApp();
  root = await t.agency({ kind: 'regency', name: 'Kabupaten Uji' });
  agency = await t.agency({ parentId: root.id, name: 'Dinas Kesehatan' });
  sibling = await t.agency({ parentId: root.id, name: 'Dinas Pendidikan' });
  outsider = await t.agency({ kind: 'city' });
  await seed();
});
afterAll(async () => { await t.close(); });

describe('GET /v1/agencies/{agencyId}/reports/{year}', () => {
  it('answers the whole report with hand-computed figures', async () => {
    const viewer = await t.as('viewer', agency.id);
    const res = await viewer.get(`/v1/agencies/${agency.id}/reports/2025`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(withoutTime(res.json())).toEqual(expected);
  });

  it('falls back to the indicators\' own targets without a signed agreement', async () => {
    const res = await t.admin.get(`/v1/agencies/${sibling.id}/reports/2025`);
    expect(res.statusCode).toBe(200);
    expect(withoutTime(res.json())).toEqual({
      agency: { id: sibling.id, code: sibling.code, name: sibling.name, kind: sibling.kind }, year: 2025, targetBasis: 'indicators',
      summary: { indicators: 0, byCategory: { very_high: 0, high: 0, medium: 0, low: 0, very_low: 0, not_computable: 0, no_data: 0 }, meanAchievement: null },
      objectives: [],
    });
  });

  it('gives the same figures as CSV: BOM, CRLF, header, quoted fields', async () => {
    const res = await t.admin.get(`/v1/agencies/${agency.id}/reports/2025`, { accept: 'text/csv' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="lkjip-${agency.code}-2025.csv"`);
    const raw = res.rawPayload.toString('utf8');
    expect(raw.startsWith('\uFEFF')).toBe(true);
    const lines = raw.slice(1).split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toBe('agency_code,year,objective_code,objective_title,indicator_code,indicator_name,unit,polarity,aggregation,is_key,'
      + 'target,realization,achievement,category,q1_target,q1_realization,q1_achievement,q2_target,q2_realization,q2_achievement,'
      + 'q3_target,q3_realization,q3_achievement,q4_target,q4_realization,q4_achievement,plan_end_target,plan_progress,'
      + 'efficiency_index,efficiency_category,target_min,target_max');
    expect(lines[1]).toBe(`${agency.code},2025,S.1,"Meningkatnya kualitas layanan, ""prima""",IK1.1,Indeks kepuasan,indeks,higher_is_better,sum,true,`
      + '80,73.75,92.19,very_high,20,18.5,92.5,25,30,120,25,,,30,25.25,84.17,150,49.17,1.191,efficient,,');
    expect(lines[5]).toBe(`${agency.code},2025,S.2,objective S.2,IK2.2,Indicator IK2.2,%,higher_is_better,sum,false,-5,3,,not_computable,,3,,,,,,,,,,,,,,not_computable,,`);
  });

  it('is 404 outside the caller\'s scope and for an unknown agency, 400 for a bad year', async () => {
    const other = await t.as('operator', sibling.id);
    expect((await other.get(`/v1/agencies/${agency.id}/reports/2025`)).statusCode).toBe(404);
    expect((await t.admin.get('/v1/agencies/01900000-0000-7000-8000-000000000000/reports/2025')).json().type).toBe('/problems/not-found');
    const bad = await t.admin.get(`/v1/agencies/${agency.id}/reports/25`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().type).toBe('/problems/validation');
  });
});

describe('GET /v1/reports/{year}', () => {
  let viewer: Client;
  beforeAll(async () => { viewer = await t.as('viewer', root.id); });

  it('pages the reports of the agencies in scope', async () => {
    const first = await viewer.get('/v1/reports/2025?limit=2');
    expect(first.statusCode).toBe(200);
    const p1 = first.json();
    expect(p1.data).toHaveLength(2);
    expect(p1.nextCursor).toEqual(expect.any(String));
    const p2 = (await viewer.get(`/v1/reports/2025?limit=2&cursor=${p1.nextCursor}`)).json();
    expect(p2.data).toHaveLength(1);
    expect(p2.nextCursor).toBeNull();
    const all = [...p1.data, ...p2.data];
    expect(all.map((r: Json) => r.agency.id).sort()).toEqual([root.id, agency.id, sibling.id].sort());
    expect(withoutTime(all.find((r: Json) => r.agency.id === agency.id))).toEqual(expected);
    const depts = (await viewer.get('/v1/reports/2025?kind=department')).json();
    expect(depts.data.map((r: Json) => r.agency.id).sort()).toEqual([agency.id, sibling.id].sort());
  });

  it('streams one full report a line as NDJSON', async () => {
    const res = await viewer.get('/v1/reports/2025', { accept: 'application/x-ndjson' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = res.body.split('\n');
    expect(lines.pop()).toBe('');
    const reports = lines.map((l) => JSON.parse(l));
    expect(reports.map((r) => r.agency.id).sort()).toEqual([root.id, agency.id, sibling.id].sort());
    expect(withoutTime(reports.find((r) => r.agency.id === agency.id))).toEqual(expected);
    const everyone = (await t.admin.get('/v1/reports/2025', { accept: 'application/x-ndjson' })).body.trim().split('\n');
    expect(everyone.map((l) => JSON.parse(l).agency.id)).toContain(outsider.id);
  });
});

describe('report submissions', () => {
  const url = () => `/v1/agencies/${agency.id}/reports/2025/submissions`;

  it('refuses roles that may not submit (403) and callers outside the scope (404)', async () => {
    for (const role of ['viewer', 'evaluator', 'submitter'] as const) {
      const c = await t.as(role, role === 'evaluator' ? null : agency.id);
      const res = await c.post(url());
      expect(res.statusCode).toBe(403);
      expect(res.json().type).toBe('/problems/forbidden');
    }
    const other = await t.as('operator', sibling.id);
    expect((await other.post(url())).statusCode).toBe(404);
    expect((await other.get(url())).statusCode).toBe(404);
  });

  it('freezes, signs and locks; a second submission is 409 until an admin unlocks', async () => {
    const operator = await t.as('operator', agency.id);
    const res = await operator.post(url(), undefined, { 'idempotency-key': 'lkjip-2025-1' });
    expect(res.statusCode).toBe(201);
    const sub = res.json();
    expect(sub).toMatchObject({ agencyId: agency.id, year: 2025, version: 1, submittedBy: operator.info.clientId });
    expect(sub.digest).toMatch(/^[0-9a-f]{64}$/);

    // The JWS verifies against the served JWKS and its payload is the canonical snapshot.
    const jwks = (await t.anonymous.get('/.well-known/jwks.json')).json();
    const { payload, protectedHeader } = await compactVerify(sub.jws, createLocalJWKSet(jwks));
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'JOSE', cty: 'application/json', kid: decodeProtectedHeader(sub.jws).kid });
    const text = new TextDecoder().decode(payload);
    expect(createHash('sha256').update(payload).digest('hex')).toBe(sub.digest);
    const snapshot = JSON.parse(text);
    expect(canonicalJson(snapshot)).toBe(text);
    expect(snapshot.generatedAt).toBe(sub.submittedAt);
    expect(withoutTime(snapshot)).toEqual(expected);

    // Replay with the same Idempotency-Key answers the first response again.
    const replay = await operator.post(url(), undefined, { 'idempotency-key': 'lkjip-2025-1' });
    expect(replay.statusCode).toBe(201);
    expect(replay.json()).toEqual(sub);

    const locks = await queryRows(t.app.db, sql`SELECT period FROM period_locks WHERE agency_id = ${agency.id}::uuid`);
    expect(locks).toEqual([{ period: '2025' }]);
    const again = await operator.post(url());
    expect(again.statusCode).toBe(409);
    expect(again.json().type).toBe('/problems/period-locked');

    const one = await t.admin.get(`${url()}/1`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ version: 1, digest: sub.digest, jws: sub.jws });
    expect(sha(canonicalJson(one.json().report))).toBe(sub.digest);

    await t.app.db.execute(sql`DELETE FROM period_locks WHERE agency_id = ${agency.id}::uuid AND period = '2025'`);
    const second = await t.admin.post(url());
    expect(second.statusCode).toBe(201);
    expect(second.json().version).toBe(2);

    const viewer = await t.as('viewer', root.id);
    const list = await viewer.get(url());
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((s: Json) => s.version)).toEqual([1, 2]);
    expect(list.json().data[0]).toEqual({ agencyId: agency.id, year: 2025, version: 1, digest: sub.digest, submittedAt: sub.submittedAt, submittedBy: sub.submittedBy,
      // the regional LKjIP of 2025 was due on 2026-03-31 (WIB); this submission is later
      onTime: false, dueDate: '2026-03-31' });
    expect((await viewer.get(`${url()}/3`)).statusCode).toBe(404);

    const audit = await queryRows(t.app.db, sql`SELECT action FROM audit_log WHERE agency_id = ${agency.id}::uuid AND action IN ('report.submit', 'lock.create') ORDER BY id`);
    expect(audit.map((a: Json) => a.action)).toEqual(['report.submit', 'lock.create', 'report.submit', 'lock.create']);
  });
});

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
