import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measurements } from '../../src/db/schema/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createElement, createIndicator, createPlan, expectProblem, planFixture, putTarget } from '../helpers/planning.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

describe('plans', () => {
  it('creates, lists, reads and patches a plan with ETags and audit', async () => {
    const a = await t.agency({ kind: 'regency', name: 'Kabupaten Uji' });
    const res = await t.admin.post(`/v1/agencies/${a.id}/plans`, { kind: 'rpjmd', title: 'RPJMD 2025-2029', startYear: 2025, endYear: 2029 });
    expect(res.statusCode).toBe(201);
    const plan = res.json();
    expect(plan).toMatchObject({ agencyId: a.id, kind: 'rpjmd', title: 'RPJMD 2025-2029', startYear: 2025, endYear: 2029 });
    expect(res.headers.location).toBe(`/v1/plans/${plan.id}`);

    const list = await t.admin.get(`/v1/agencies/${a.id}/plans`);
    expect(list.json()).toEqual({ data: [plan], nextCursor: null });

    const got = await t.admin.get(`/v1/plans/${plan.id}`);
    const etag = got.headers.etag as string;
    const patched = await t.admin.patch(`/v1/plans/${plan.id}`, { title: 'RPJMD Perubahan', endYear: 2030 }, { 'if-match': etag });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ title: 'RPJMD Perubahan', endYear: 2030 });
    expectProblem(await t.admin.patch(`/v1/plans/${plan.id}`, { title: 'stale' }, { 'if-match': etag }), 412, 'precondition-failed');

    const audit = (await t.admin.get(`/v1/audit?entityType=plan&entityId=${plan.id}`)).json().data;
    expect(audit.map((e: any) => e.action)).toEqual(['plan.update', 'plan.create']);
  });

  it('refuses bad years: start after end, out of range, too long, and in a PATCH', async () => {
    const a = await t.agency();
    const post = (b: object) => t.admin.post(`/v1/agencies/${a.id}/plans`, { kind: 'renstra', title: 'R', ...b });
    const bad = await post({ startYear: 2029, endYear: 2025 });
    expectProblem(bad, 400, 'validation');
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'endYear' })]);
    expectProblem(await post({ startYear: 1990, endYear: 1995 }), 400, 'validation');
    expectProblem(await post({ startYear: 2025, endYear: 2040 }), 400, 'validation');
    expectProblem(await post({ startYear: 2025.5, endYear: 2029 }), 400, 'validation');
    expectProblem(await post({ kind: 'rkpd', startYear: 2025, endYear: 2029 }), 400, 'validation');
    const plan = await createPlan(t.admin, a.id);
    expectProblem(await t.admin.patch(`/v1/plans/${plan.id}`, { startYear: 2030 }), 400, 'validation');
  });

  it('refuses to shrink a plan past its targets (409) but allows it otherwise', async () => {
    const a = await t.agency();
    const { plan, indicator } = await planFixture(t.admin, a.id);
    await putTarget(t.admin, indicator.id, '2028Q2', 10);
    const res = await t.admin.patch(`/v1/plans/${plan.id}`, { endYear: 2027 });
    expectProblem(res, 409, 'conflict');
    expect(res.json().detail).toContain('2028');
    expect((await t.admin.patch(`/v1/plans/${plan.id}`, { endYear: 2028, startYear: 2026 })).statusCode).toBe(200);
  });

  it('keeps plans of other agencies out of reach (404) and writes to operators and admins (403)', async () => {
    const mine = await t.agency();
    const other = await t.agency();
    const otherPlan = await createPlan(t.admin, other.id);
    const op = await t.as('operator', mine.id);
    expectProblem(await op.get(`/v1/plans/${otherPlan.id}`), 404, 'not-found');
    expectProblem(await op.get(`/v1/agencies/${other.id}/plans`), 404, 'not-found');
    expectProblem(await op.post(`/v1/agencies/${other.id}/plans`, { kind: 'renstra', title: 'x', startYear: 2025, endYear: 2029 }), 404, 'not-found');
    expectProblem(await op.patch(`/v1/plans/${otherPlan.id}`, { title: 'x' }), 404, 'not-found');
    expectProblem(await op.post(`/v1/plans/${otherPlan.id}/elements`, { level: 'goal', code: 'G', title: 'x' }), 404, 'not-found');
    expect((await createPlan(op, mine.id)).agencyId).toBe(mine.id);
    const viewer = await t.as('viewer', mine.id);
    expectProblem(await viewer.post(`/v1/agencies/${mine.id}/plans`, { kind: 'renstra', title: 'x', startYear: 2025, endYear: 2029 }), 403, 'forbidden');
    expectProblem(await t.admin.get('/v1/plans/01900000-0000-7000-8000-000000000000'), 404, 'not-found');
  });
});

describe('elements', () => {
  it('builds a tree: a child must be deeper than its parent, codes unique in the plan', async () => {
    const a = await t.agency();
    const plan = await createPlan(t.admin, a.id);
    const goal = await createElement(t.admin, plan.id, { level: 'goal', code: 'T1', title: 'Tujuan 1' });
    expect(goal).toMatchObject({ planId: plan.id, parentId: null, level: 'goal', code: 'T1', title: 'Tujuan 1', supports: [] });
    const prog = await createElement(t.admin, plan.id, { level: 'program', code: 'P1', parentId: goal.id });
    expect(prog.parentId).toBe(goal.id);

    const same = await t.admin.post(`/v1/plans/${plan.id}/elements`, { level: 'program', code: 'P2', title: 'x', parentId: prog.id });
    expectProblem(same, 400, 'validation');
    expect(same.json().errors[0].path).toBe('level');
    expectProblem(await t.admin.post(`/v1/plans/${plan.id}/elements`, { level: 'objective', code: 'S9', title: 'x', parentId: prog.id }), 400, 'validation');
    expectProblem(await t.admin.post(`/v1/plans/${plan.id}/elements`, { level: 'mission', code: 'M1', title: 'x' }), 400, 'validation');
    expectProblem(await t.admin.post(`/v1/plans/${plan.id}/elements`, { level: 'goal', code: 'T1', title: 'dup' }), 409, 'conflict');

    const otherPlan = await createPlan(t.admin, a.id, { title: 'Renstra lain' });
    const foreignParent = await t.admin.post(`/v1/plans/${otherPlan.id}/elements`, { level: 'objective', code: 'S1', title: 'x', parentId: goal.id });
    expectProblem(foreignParent, 400, 'validation');
    expect(foreignParent.json().errors[0].path).toBe('parentId');
    // The same code is fine in another plan.
    expect((await createElement(t.admin, otherPlan.id, { code: 'T1' })).code).toBe('T1');
  });

  it('cascades only to elements of strict ancestor agencies', async () => {
    const regency = await t.agency({ kind: 'regency' });
    const dept = await t.agency({ parentId: regency.id });
    const unit = await t.agency({ kind: 'unit', parentId: dept.id });
    const sibling = await t.agency({ parentId: regency.id });
    const rpjmd = await createPlan(t.admin, regency.id, { kind: 'rpjmd' });
    const rGoal = await createElement(t.admin, rpjmd.id, { code: 'RG1' });
    const renstra = await createPlan(t.admin, dept.id);
    const dGoal = await createElement(t.admin, renstra.id, { code: 'DG1', supports: [rGoal.id] });
    expect(dGoal.supports).toEqual([rGoal.id]);
    const unitPlan = await createPlan(t.admin, unit.id);
    // Two levels up is still an ancestor.
    expect((await createElement(t.admin, unitPlan.id, { code: 'UG1', supports: [dGoal.id, rGoal.id] })).supports).toEqual([dGoal.id, rGoal.id]);

    const sibPlan = await createPlan(t.admin, sibling.id);
    const sibGoal = await createElement(t.admin, sibPlan.id, { code: 'SG1' });
    const unitGoal2 = await createElement(t.admin, unitPlan.id, { code: 'UG2' });
    const post = (planId: string, supports: string[]) => t.admin.post(`/v1/plans/${planId}/elements`, { level: 'goal', code: `X${Math.random()}`.slice(0, 8).replace('.', ''), title: 'x', supports });
    for (const [planId, target] of [
      [renstra.id, sibGoal.id], // sibling agency
      [renstra.id, unitGoal2.id], // descendant agency
      [renstra.id, dGoal.id], // own agency
      [rpjmd.id, dGoal.id], // upwards from the regency to its department
      [renstra.id, '01900000-0000-7000-8000-000000000000'], // unknown
    ]) {
      const res = await post(planId, [target]);
      expectProblem(res, 400, 'validation');
      expect(res.json().errors[0].path).toBe('supports.0');
    }
    const self = await t.admin.patch(`/v1/elements/${dGoal.id}`, { supports: [dGoal.id] });
    expectProblem(self, 400, 'validation');
    // An operator of the department may cascade to the regency's RPJMD it cannot otherwise read.
    const op = await t.as('operator', dept.id);
    expect((await createElement(op, renstra.id, { code: 'DG2', supports: [rGoal.id] })).supports).toEqual([rGoal.id]);
  });

  it('reads, patches (If-Match) and refuses cross-agency access', async () => {
    const a = await t.agency();
    const plan = await createPlan(t.admin, a.id);
    const goal = await createElement(t.admin, plan.id, { code: 'T1' });
    const obj = await createElement(t.admin, plan.id, { code: 'S1', level: 'objective', parentId: goal.id });
    const got = await t.admin.get(`/v1/elements/${obj.id}`);
    expect(got.json()).toEqual(obj);
    const etag = got.headers.etag as string;
    const ok = await t.admin.patch(`/v1/elements/${obj.id}`, { title: 'Sasaran baru', code: 'S1.1' }, { 'if-match': etag });
    expect(ok.json()).toMatchObject({ title: 'Sasaran baru', code: 'S1.1' });
    expectProblem(await t.admin.patch(`/v1/elements/${obj.id}`, { title: 'x' }, { 'if-match': etag }), 412, 'precondition-failed');
    expectProblem(await t.admin.patch(`/v1/elements/${obj.id}`, { code: 'T1' }), 409, 'conflict');
    expectProblem(await t.admin.patch(`/v1/elements/${goal.id}`, { level: 'program' }), 400, 'validation');
    expectProblem(await t.admin.patch(`/v1/elements/${goal.id}`, { parentId: obj.id, level: 'activity' }), 400, 'validation');
    const other = await t.as('operator', (await t.agency()).id);
    expectProblem(await other.get(`/v1/elements/${obj.id}`), 404, 'not-found');
    expectProblem(await other.delete(`/v1/elements/${obj.id}`), 404, 'not-found');
  });

  it('deletes a subtree with its indicators and targets, unless measurements hang below', async () => {
    const regency = await t.agency({ kind: 'regency' });
    const a = await t.agency({ parentId: regency.id });
    const { plan, goal, objective, indicator } = await planFixture(t.admin, a.id);
    const prog = await createElement(t.admin, plan.id, { level: 'program', code: 'P1', parentId: objective.id });
    const progInd = await createIndicator(t.admin, prog.id);
    await putTarget(t.admin, progInd.id, '2025', 5);
    await t.admin.put(`/v1/elements/${prog.id}/budgets/2025`, { allocated: 100, realized: 50 });
    const rpjmd = await createPlan(t.admin, regency.id, { kind: 'rpjmd' });
    const rGoal = await createElement(t.admin, rpjmd.id, { code: 'R1' });
    const lower = await createPlan(t.admin, (await t.agency({ kind: 'unit', parentId: a.id })).id);
    const supporter = await createElement(t.admin, lower.id, { code: 'U1', supports: [objective.id] });

    await t.database.db.insert(measurements).values({ indicatorId: progInd.id, period: '2025Q1', agencyId: a.id, value: '1', updatedBy: 'test' });
    const refused = await t.admin.delete(`/v1/elements/${goal.id}`);
    expectProblem(refused, 409, 'conflict');
    expect(refused.json().detail).toMatch(/Measurements/);
    expect((await t.admin.get(`/v1/indicators/${progInd.id}`)).statusCode).toBe(200);

    await t.database.db.delete(measurements);
    const etag = (await t.admin.get(`/v1/elements/${goal.id}`)).headers.etag as string;
    expectProblem(await t.admin.delete(`/v1/elements/${goal.id}`, { 'if-match': '"stale"' }), 412, 'precondition-failed');
    expect((await t.admin.delete(`/v1/elements/${goal.id}`, { 'if-match': etag })).statusCode).toBe(204);
    for (const url of [`/v1/elements/${goal.id}`, `/v1/elements/${prog.id}`, `/v1/indicators/${indicator.id}`, `/v1/indicators/${progInd.id}`]) {
      expect((await t.admin.get(url)).statusCode).toBe(404);
    }
    expect((await t.admin.get(`/v1/elements/${supporter.id}`)).json().supports).toEqual([]);
    expect((await t.admin.get(`/v1/elements/${rGoal.id}`)).statusCode).toBe(200);
    const audit = (await t.admin.get(`/v1/audit?entityType=element&entityId=${prog.id}`)).json().data;
    expect(audit[0].action).toBe('element.delete');
    expect((await t.admin.get(`/v1/plans/${plan.id}/tree`)).json().elements).toEqual([]);
  });
});

describe('plan tree', () => {
  it('nests elements under their parents, sorts siblings by code and carries indicators', async () => {
    const a = await t.agency();
    const plan = await createPlan(t.admin, a.id);
    const g2 = await createElement(t.admin, plan.id, { code: 'T2' });
    const g1 = await createElement(t.admin, plan.id, { code: 'T1' });
    const s12 = await createElement(t.admin, plan.id, { level: 'objective', code: 'T1.S2', parentId: g1.id });
    const s11 = await createElement(t.admin, plan.id, { level: 'objective', code: 'T1.S1', parentId: g1.id });
    const act = await createElement(t.admin, plan.id, { level: 'activity', code: 'T1.S1.K1', parentId: s11.id });
    const ind = await createIndicator(t.admin, s11.id, { code: 'IKU-1', isKey: true, baseline: { year: 2024, value: 61.25 } });
    const res = await t.admin.get(`/v1/plans/${plan.id}/tree`);
    expect(res.statusCode).toBe(200);
    const tree = res.json();
    expect(tree.plan.id).toBe(plan.id);
    expect(tree.elements.map((e: any) => e.code)).toEqual(['T1', 'T2']);
    expect(tree.elements[1]).toMatchObject({ id: g2.id, children: [], indicators: [] });
    const [first, second] = tree.elements[0].children;
    expect([first.id, second.id]).toEqual([s11.id, s12.id]);
    expect(first.indicators).toEqual([ind]);
    expect(first.children).toEqual([expect.objectContaining({ id: act.id, level: 'activity', supports: [], children: [], indicators: [] })]);
  });
});
