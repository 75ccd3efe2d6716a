import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type Json, type TestApp } from '../helpers/app.js';
import { createIndicator, expectProblem, planFixture, putTarget } from '../helpers/planning.js';

let t: TestApp;
let regency: Json;
let dept: Json;
let other: Json;
let fx: Awaited<ReturnType<typeof planFixture>>;
let sumInd: Json; let lastInd: Json; let avgInd: Json;
let ownOp: Client; let upperOp: Client; let evaluator: Client; let viewer: Client;

const url = (agencyId = dept.id, year = 2025) => `/v1/agencies/${agencyId}/action-plans/${year}`;
const item = (indicatorId: string, q: [number, number, number, number], more: Json = {}) =>
  ({ indicatorId, quarterTargets: { Q1: q[0], Q2: q[1], Q3: q[2], Q4: q[3] }, activities: [], ...more });

beforeAll(async () => {
  t = await createTestApp();
  regency = await t.agency({ kind: 'regency' });
  dept = await t.agency({ parentId: regency.id });
  other = await t.agency({ parentId: regency.id });
  fx = await planFixture(t.admin, dept.id);
  sumInd = await createIndicator(t.admin, fx.objective.id, { aggregation: 'sum', code: 'AP-SUM' });
  lastInd = await createIndicator(t.admin, fx.objective.id, { aggregation: 'last', code: 'AP-LAST' });
  avgInd = await createIndicator(t.admin, fx.objective.id, { aggregation: 'average', code: 'AP-AVG' });
  // sum: the signed agreement's target 100 overrides the indicator's own 90
  await putTarget(t.admin, sumInd.id, '2025', 90);
  await putTarget(t.admin, lastInd.id, '2025', 85);
  expect((await t.admin.put(`/v1/indicators/${avgInd.id}/targets/2025`, { min: 80, max: 90 })).statusCode).toBe(201);
  expect((await t.admin.put(`/v1/agencies/${dept.id}/agreements/2025`, { items: [{ indicatorId: sumInd.id, target: 100 }] })).statusCode).toBe(201);
  expect((await t.admin.post(`/v1/agencies/${dept.id}/agreements/2025/sign`, { signedBy: 'Kepala Dinas' })).statusCode).toBe(200);
  ownOp = await t.as('operator', dept.id);
  upperOp = await t.as('operator', regency.id);
  evaluator = await t.as('evaluator');
  viewer = await t.as('viewer', regency.id);
});
afterAll(async () => { await t.close(); });

describe('action plans (Rencana Aksi)', () => {
  it('drafts with the deviation of each item by its aggregation against the annual target', async () => {
    const res = await ownOp.put(url(), {
      items: [
        item(sumInd.id, [20, 25, 25, 25], { activities: [{ title: 'Sosialisasi', responsible: 'Sekretaris', budget: 15000000.5 }] }),
        item(lastInd.id, [20, 40, 60, 80]),
        item(avgInd.id, [70, 75, 80, 76.0001]),
      ],
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ agencyId: dept.id, year: 2025, version: 1, status: 'draft', submittedAt: null, reviewedBy: null, comment: null });
    expect(body.items.map((i: Json) => i.deviation)).toEqual([
      { implied: 95, annualTarget: 100, annualTargetRange: null }, // 20+25+25+25 vs the agreement's 100
      { implied: 80, annualTarget: 85, annualTargetRange: null }, // Q4 vs 85
      { implied: 75.25, annualTarget: null, annualTargetRange: { min: 80, max: 90 } }, // (70+75+80+76.0001)/4 = 75.250025 -> 75.25
    ]);
    expect(body.items[0].activities).toEqual([{ title: 'Sosialisasi', responsible: 'Sekretaris', budget: 15000000.5 }]);
    expect(body.items[0].quarterTargets).toEqual({ Q1: 20, Q2: 25, Q3: 25, Q4: 25 });
  });

  it('refuses to submit deviating items without a reason (400 naming the item), then submits', async () => {
    const missing = await ownOp.post(`${url()}/submit`);
    expectProblem(missing, 400, 'validation');
    expect(missing.json().errors.map((e: Json) => e.path)).toEqual(['items.0.deviationReason', 'items.1.deviationReason', 'items.2.deviationReason']);
    const res = await ownOp.put(url(), {
      items: [
        item(sumInd.id, [20, 25, 25, 30]), // 100: no deviation
        item(lastInd.id, [20, 40, 60, 80], { deviationReason: 'Anggaran perubahan baru cair di TW IV' }),
        item(avgInd.id, [80, 85, 90, 85.0001]), // 85.000025 -> 85: inside the range
      ],
    });
    expect(res.statusCode).toBe(200); // same draft version replaced
    expect(res.json().version).toBe(1);
    expect(res.json().items.map((i: Json) => i.deviation)).toEqual([null, { implied: 80, annualTarget: 85, annualTargetRange: null }, null]);
    const submitted = await ownOp.post(`${url()}/submit`, undefined, { 'idempotency-key': 'submit-ap-2025-v1' });
    expect(submitted.statusCode).toBe(200);
    const replay = await ownOp.post(`${url()}/submit`, undefined, { 'idempotency-key': 'submit-ap-2025-v1' });
    expect([replay.statusCode, replay.json()]).toEqual([200, submitted.json()]); // replayed, not a 409
    expect(submitted.json()).toMatchObject({ status: 'submitted', version: 1 });
    expect(submitted.json().submittedAt).toEqual(expect.any(String));
    expectProblem(await ownOp.put(url(), { items: [] }), 409, 'conflict'); // submitted: wait for the review
    expectProblem(await ownOp.post(`${url()}/submit`), 409, 'conflict');
  });

  it('is reviewed only by a verifier outside the agency; returning needs a comment', async () => {
    expectProblem(await ownOp.post(`${url()}/review`, { decision: 'approved' }), 403, 'forbidden');
    const ownEvaluator = await t.as('evaluator', dept.id);
    expectProblem(await ownEvaluator.post(`${url()}/review`, { decision: 'approved' }), 403, 'forbidden');
    expectProblem(await viewer.post(`${url()}/review`, { decision: 'approved' }), 403, 'forbidden');
    const otherOp = await t.as('operator', other.id);
    expectProblem(await otherOp.post(`${url()}/review`, { decision: 'approved' }), 404, 'not-found');
    const noComment = await upperOp.post(`${url()}/review`, { decision: 'returned' });
    expectProblem(noComment, 400, 'validation');
    expect(noComment.json().errors[0].path).toBe('comment');
    const returned = await upperOp.post(`${url()}/review`, { decision: 'returned', comment: 'TW IV belum sesuai PK' });
    expect(returned.statusCode).toBe(200);
    expect(returned.json()).toMatchObject({ status: 'returned', reviewedBy: upperOp.info.clientId, comment: 'TW IV belum sesuai PK' });
    expectProblem(await upperOp.post(`${url()}/review`, { decision: 'approved' }), 409, 'conflict');
    // a returned version stays on record; the next PUT starts version 2
    const v2 = await ownOp.put(url(), { items: [item(sumInd.id, [10, 20, 30, 40]), item(lastInd.id, [25, 50, 75, 85])] });
    expect(v2.statusCode).toBe(201);
    expect(v2.json()).toMatchObject({ version: 2, status: 'draft', comment: null });
    expect((await ownOp.post(`${url()}/submit`)).statusCode).toBe(200);
    const approved = await evaluator.post(`${url()}/review`, { decision: 'approved' });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ version: 2, status: 'approved' });
    const versions = (await viewer.get(`${url()}/versions`)).json();
    expect(versions.data.map((v: Json) => [v.version, v.status])).toEqual([[1, 'returned'], [2, 'approved']]);
    expect((await ownOp.get(url())).json().version).toBe(2);
    const audit = (await t.admin.get(`/v1/audit?entityType=action_plan&entityId=${dept.id}/2025/1`)).json().data;
    expect(audit.map((e: Json) => e.action).sort()).toEqual(['actionplan.draft', 'actionplan.return', 'actionplan.submit', 'actionplan.update']);
  });

  it('makes the approved quarter targets the report\'s quarter targets', async () => {
    await putTarget(t.admin, sumInd.id, '2025Q1', 99);
    const report = (await t.admin.get(`/v1/agencies/${dept.id}/reports/2025`)).json();
    const inds = report.objectives.flatMap((o: Json) => o.indicators);
    const sum = inds.find((i: Json) => i.indicatorId === sumInd.id);
    expect(sum.quarters.map((q: Json) => q.target)).toEqual([10, 20, 30, 40]);
    const avg = inds.find((i: Json) => i.indicatorId === avgInd.id); // not in the approved plan: no quarter targets
    expect(avg.quarters.map((q: Json) => q.target)).toEqual([null, null, null, null]);
    expect(avg).toMatchObject({ target: null, targetRange: { min: 80, max: 90 } });
    // a new draft after an approved version is version 3; the report keeps using version 2
    const v3 = await ownOp.put(url(), { items: [item(sumInd.id, [25, 25, 25, 25])] });
    expect(v3.statusCode).toBe(201);
    expect(v3.json().version).toBe(3);
    const again = (await t.admin.get(`/v1/agencies/${dept.id}/reports/2025`)).json();
    expect(again.objectives.flatMap((o: Json) => o.indicators).find((i: Json) => i.indicatorId === sumInd.id).quarters[0].target).toBe(10);
  });

  it('refuses items of another agency or outside the plan\'s years, and answers 404 outside scope', async () => {
    const foreign = await planFixture(t.admin, other.id);
    const bad = await ownOp.put(url(), { items: [item(sumInd.id, [1, 1, 1, 1]), item(foreign.indicator.id, [1, 1, 1, 1]), item(sumInd.id, [1, 1, 1, 1])] });
    expectProblem(bad, 400, 'validation');
    expect(bad.json().errors.map((e: Json) => e.path)).toEqual(['items.1.indicatorId', 'items.2.indicatorId']);
    const outside = await ownOp.put(url(dept.id, 2031), { items: [item(sumInd.id, [1, 1, 1, 1])] });
    expectProblem(outside, 400, 'validation');
    const otherOp = await t.as('operator', other.id);
    expectProblem(await otherOp.get(url()), 404, 'not-found');
    expectProblem(await otherOp.put(url(), { items: [] }), 404, 'not-found');
    expectProblem(await viewer.put(url(), { items: [] }), 403, 'forbidden');
    expectProblem(await ownOp.get(url(dept.id, 2027)), 404, 'not-found');
  });

  it('refuses every write to a locked year with period-locked', async () => {
    const d = await t.agency({ parentId: regency.id });
    const f = await planFixture(t.admin, d.id);
    const op = await t.as('operator', d.id);
    const u = `/v1/agencies/${d.id}/action-plans/2026`;
    expect((await op.put(u, { items: [item(f.indicator.id, [1, 2, 3, 4])] })).statusCode).toBe(201);
    expect((await op.post(`${u}/submit`)).statusCode).toBe(200);
    expect((await t.admin.put(`/v1/agencies/${d.id}/locks/2026`, { reason: 'LKjIP' })).statusCode).toBeLessThan(300);
    expectProblem(await upperOp.post(`${u}/review`, { decision: 'approved' }), 409, 'period-locked');
    expectProblem(await op.put(u, { items: [] }), 409, 'period-locked');
    expect((await t.admin.delete(`/v1/agencies/${d.id}/locks/2026`)).statusCode).toBe(204);
    expect((await upperOp.post(`${u}/review`, { decision: 'approved' })).statusCode).toBe(200);
    await t.admin.put(`/v1/agencies/${d.id}/locks/2026Q2`, {});
    expectProblem(await op.put(u, { items: [] }), 409, 'period-locked'); // a quarter of the year is locked
  });
});
