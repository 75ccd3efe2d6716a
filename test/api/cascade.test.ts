import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, uniq, type Json, type TestApp } from '../helpers/app.js';
import { countQueries } from '../helpers/cascade.js';
import { createElement, createIndicator, createPlan, expectProblem } from '../helpers/planning.js';

let t: TestApp;
const A: Record<string, Json> = {};
const E: Record<string, Json> = {};
const I: Record<string, Json> = {};

async function ok(res: { statusCode: number; body: string; json(): any }, status = 200) {
  if (res.statusCode !== status) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json();
}
async function measure(indicatorId: string, period: string, value: number) {
  const res = await t.admin.put(`/v1/indicators/${indicatorId}/measurements/${period}`, { value });
  if (![200, 201].includes(res.statusCode)) throw new Error(`measure ${res.statusCode} ${res.body}`);
}
/** An agency with a plan, one objective (supporting `supports`) and one indicator with a target and a realization. */
async function branch(key: string, agency: Json, kind: string, supports: string[], ind: { polarity?: string; target: Json; realization: number }) {
  const plan = await createPlan(t.admin, agency.id, { kind, title: `${kind} ${key}` });
  E[key] = await createElement(t.admin, plan.id, { level: 'objective', code: `${key}.S1`, title: `Sasaran ${key}`, supports });
  I[key] = await createIndicator(t.admin, E[key].id, { code: `IK-${key}`, polarity: ind.polarity ?? 'higher_is_better', aggregation: 'last' });
  await ok(await t.admin.put(`/v1/indicators/${I[key].id}/targets/2025`, ind.target), 201);
  await measure(I[key].id, '2025', ind.realization);
}

beforeAll(async () => {
  t = await createTestApp();
  A.N = await t.agency({ kind: 'national', name: 'Republik Indonesia' });
  A.P = await t.agency({ kind: 'province', parentId: A.N.id });
  A.R = await t.agency({ kind: 'regency', parentId: A.P.id });
  A.D1 = await t.agency({ parentId: A.R.id, code: uniq('D1') });
  A.D2 = await t.agency({ parentId: A.R.id, code: uniq('D2') });
  A.U1 = await t.agency({ kind: 'unit', parentId: A.D1.id });
  await branch('N', A.N, 'rpjmn', [], { target: { value: 100 }, realization: 80 }); // 80.00 high
  await branch('P', A.P, 'rpjmd', [E.N.id], { target: { min: 80, max: 90 }, realization: 85 }); // 100.00
  await branch('R', A.R, 'rpjmd', [E.P.id, E.N.id], { polarity: 'lower_is_better', target: { min: 7, max: 8 }, realization: 6.5 }); // 107.14
  await branch('D1', A.D1, 'renstra', [E.R.id], { target: { min: 80, max: 90 }, realization: 92 }); // 102.22
  await branch('U1', A.U1, 'renstra', [E.D1.id], { target: { min: 80, max: 90 }, realization: 70 }); // 87.50
  await branch('D2', A.D2, 'renstra', [E.R.id], { polarity: 'lower_is_better', target: { min: 7, max: 8 }, realization: 9 }); // 87.50
});
afterAll(async () => { await t.close(); });

describe('national root and RPJMN', () => {
  it('allows one national agency, with no parent; rpjmn only for it', async () => {
    expectProblem(await t.admin.post('/v1/agencies', { code: uniq('N'), name: 'Kedua', kind: 'national' }), 409, 'conflict');
    const withParent = await t.admin.post('/v1/agencies', { code: uniq('N'), name: 'X', kind: 'national', parentId: A.N.id });
    expectProblem(withParent, 400, 'validation');
    expect(withParent.json().errors[0].path).toBe('parentId');
    expectProblem(await t.admin.patch(`/v1/agencies/${A.P.id}`, { kind: 'national' }), 400, 'validation'); // it has a parent
    expectProblem(await t.admin.patch(`/v1/agencies/${A.N.id}`, { kind: 'ministry' }), 409, 'conflict'); // it holds the RPJMN
    const rpjmn = await t.admin.post(`/v1/agencies/${A.R.id}/plans`, { kind: 'rpjmn', title: 'RPJMN', startYear: 2025, endYear: 2029 });
    expectProblem(rpjmn, 400, 'validation');
    expect(rpjmn.json().errors[0].path).toBe('kind');
    // a province's RPJMD element may support an RPJMN element; the reverse is not cascading
    const back = await t.admin.patch(`/v1/elements/${E.N.id}`, { supports: [E.P.id] });
    expectProblem(back, 400, 'validation');
  });
});

describe('crosscutting (lintas sektor)', () => {
  let link: Json;
  it('is proposed by the contributing agency to a non-ancestor agency\'s element', async () => {
    const opD2 = await t.as('operator', A.D2.id);
    const toOwn = await opD2.post(`/v1/elements/${E.D2.id}/crosscutting`, { targetElementId: E.R.id });
    expectProblem(toOwn, 400, 'validation'); // an ancestor's element: that is supports
    expect(toOwn.json().errors[0].path).toBe('targetElementId');
    const opD1 = await t.as('operator', A.D1.id);
    expectProblem(await opD1.post(`/v1/elements/${E.D2.id}/crosscutting`, { targetElementId: E.D1.id }), 404, 'not-found'); // not its element
    const res = await opD2.post(`/v1/elements/${E.D2.id}/crosscutting`, { targetElementId: E.D1.id, note: 'Stunting: sanitasi' });
    expect(res.statusCode).toBe(201);
    link = res.json();
    expect(link).toMatchObject({ fromElementId: E.D2.id, toElementId: E.D1.id, fromAgencyId: A.D2.id, toAgencyId: A.D1.id, status: 'pending', note: 'Stunting: sanitasi' });
    expectProblem(await opD2.post(`/v1/elements/${E.D2.id}/crosscutting`, { targetElementId: E.D1.id }), 409, 'conflict');
  });

  it('lists by direction and status, each agency only its own links', async () => {
    const opD1 = await t.as('operator', A.D1.id);
    const incoming = (await opD1.get(`/v1/agencies/${A.D1.id}/crosscutting?direction=incoming&status=pending`)).json();
    expect(incoming.data.map((l: Json) => l.id)).toEqual([link.id]);
    expect((await opD1.get(`/v1/agencies/${A.D1.id}/crosscutting?direction=outgoing`)).json().data).toEqual([]);
    expectProblem(await opD1.get(`/v1/agencies/${A.D2.id}/crosscutting`), 404, 'not-found'); // B's proposals are not in A's scope
    const opR = await t.as('operator', A.R.id);
    expect((await opR.get(`/v1/agencies/${A.D2.id}/crosscutting?direction=outgoing`)).json().data).toHaveLength(1);
  });

  it('is decided by the receiving agency; a reason to reject; only once', async () => {
    const opD2 = await t.as('operator', A.D2.id);
    expectProblem(await opD2.post(`/v1/crosscutting/${link.id}/decision`, { decision: 'accepted' }), 403, 'forbidden');
    const opU1 = await t.as('operator', A.U1.id);
    expectProblem(await opU1.post(`/v1/crosscutting/${link.id}/decision`, { decision: 'accepted' }), 404, 'not-found');
    const opD1 = await t.as('operator', A.D1.id);
    const noReason = await opD1.post(`/v1/crosscutting/${link.id}/decision`, { decision: 'rejected' });
    expectProblem(noReason, 400, 'validation');
    expect(noReason.json().errors[0].path).toBe('reason');
    const accepted = await opD1.post(`/v1/crosscutting/${link.id}/decision`, { decision: 'accepted' });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', decidedBy: opD1.info.clientId });
    expectProblem(await opD1.post(`/v1/crosscutting/${link.id}/decision`, { decision: 'rejected', reason: 'x' }), 409, 'conflict');
    const tree = (await opD1.get(`/v1/plans/${E.D1.planId}/tree`)).json();
    expect(tree.elements[0].crosscutting).toEqual([{ id: link.id, elementId: E.D2.id, agencyId: A.D2.id, status: 'accepted', direction: 'incoming' }]);
    // a rejected proposal can be made again later, and rejected with its reason
    const opP = await t.as('operator', A.P.id);
    const again = await ok(await t.admin.post(`/v1/elements/${E.U1.id}/crosscutting`, { targetElementId: E.D2.id }), 201);
    const rejected = await opP.post(`/v1/crosscutting/${again.id}/decision`, { decision: 'rejected', reason: 'Tidak terkait' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', reason: 'Tidak terkait' });
    expect((await t.admin.post(`/v1/elements/${E.U1.id}/crosscutting`, { targetElementId: E.D2.id })).statusCode).toBe(201);
    const audit = (await t.admin.get(`/v1/audit?entityType=crosscutting&entityId=${link.id}`)).json().data;
    expect(audit.map((e: Json) => e.action).sort()).toEqual(['crosscutting.accept', 'crosscutting.propose']);
  });
});

const figures = (node: Json) => node.indicators.map((i: Json) => [i.code, i.target, i.targetRange, i.realization, i.achievement, i.category]);

describe('cascade', () => {
  it('runs from the RPJMN down to units with the report\'s figures, and accepted crosscutting', async () => {
    const res = await t.admin.get(`/v1/elements/${E.N.id}/cascade?year=2025`);
    expect(res.statusCode).toBe(200);
    const root = res.json();
    expect(root.element.id).toBe(E.N.id);
    expect(root.agency).toMatchObject({ id: A.N.id, kind: 'national' });
    expect(figures(root)).toEqual([['IK-N', 100, null, 80, 80, 'high']]);
    // R supports both P and N directly: it appears under both
    const [viaP, viaN] = [root.contributors.find((c: Json) => c.element.id === E.P.id), root.contributors.find((c: Json) => c.element.id === E.R.id)];
    expect(figures(viaP)).toEqual([['IK-P', null, { min: 80, max: 90 }, 85, 100, 'very_high']]);
    expect(viaN.relation).toBe('supports');
    const r = viaP.contributors[0];
    expect(figures(r)).toEqual([['IK-R', null, { min: 7, max: 8 }, 6.5, 107.14, 'very_high']]);
    const d1 = r.contributors.find((c: Json) => c.element.id === E.D1.id);
    const d2 = r.contributors.find((c: Json) => c.element.id === E.D2.id);
    expect(figures(d1)).toEqual([['IK-D1', null, { min: 80, max: 90 }, 92, 102.22, 'very_high']]);
    expect(figures(d2)).toEqual([['IK-D2', null, { min: 7, max: 8 }, 9, 87.5, 'high']]);
    expect(d1.contributors.map((c: Json) => [c.element.id, c.relation])).toEqual(expect.arrayContaining([[E.U1.id, 'supports'], [E.D2.id, 'crosscutting']]));
    expect(figures(d1.contributors.find((c: Json) => c.element.id === E.U1.id))).toEqual([['IK-U1', null, { min: 80, max: 90 }, 70, 87.5, 'high']]);
  });

  it('leaves out contributors outside the caller\'s scope', async () => {
    const opD1 = await t.as('operator', A.D1.id);
    const mine = (await opD1.get(`/v1/elements/${E.D1.id}/cascade?year=2025`)).json();
    expect(mine.contributors.map((c: Json) => c.element.id)).toEqual([E.U1.id]); // D2's crosscutting element is not in D1's scope
    expect(JSON.stringify(mine)).not.toContain(E.D2.id);
    expectProblem(await opD1.get(`/v1/elements/${E.R.id}/cascade?year=2025`), 404, 'not-found');
    const opR = await t.as('operator', A.R.id);
    const all = (await opR.get(`/v1/elements/${E.D1.id}/cascade?year=2025`)).json();
    expect(all.contributors.map((c: Json) => c.element.id).sort()).toEqual([E.D2.id, E.U1.id].sort());
    expectProblem(await opR.get(`/v1/elements/${E.D1.id}/cascade?year=20x5`), 400, 'validation');
  });

  it('costs the same number of queries whatever the depth', async () => {
    // a chain of units below D2, each supporting the element of the agency above
    let parent = A.D2;
    let supported = E.D2;
    const counts: number[] = [];
    const viewer = await t.as('viewer', A.R.id);
    for (let depth = 1; depth <= 6; depth++) {
      const unit = await t.agency({ kind: 'unit', parentId: parent.id });
      const plan = await createPlan(t.admin, unit.id);
      const el = await createElement(t.admin, plan.id, { level: 'objective', supports: [supported.id] });
      const ind = await createIndicator(t.admin, el.id);
      await measure(ind.id, '2025Q1', depth);
      parent = unit;
      supported = el;
      if (depth === 2 || depth === 6) {
        await viewer.get(`/v1/elements/${E.R.id}/cascade?year=2025`); // warm the token and key caches
        const { result, queries } = await countQueries(t.database.db, () => viewer.get(`/v1/elements/${E.R.id}/cascade?year=2025`));
        expect(result.statusCode).toBe(200);
        let deepest = result.json().contributors.find((c: Json) => c.element.id === E.D2.id);
        let levels = 0;
        while (deepest.contributors.length) { deepest = deepest.contributors[0]; levels++; }
        expect(levels).toBe(depth);
        counts.push(queries);
      }
    }
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[0]).toBeLessThanOrEqual(8);
    expect(counts[1]).toBe(counts[0]);
  });

  it('does not count a returned measurement, as the report does not', async () => {
    A.X = await t.agency({ parentId: A.R.id, code: uniq('DX') });
    await branch('X', A.X, 'renstra', [E.R.id], { target: { value: 100 }, realization: 80 });
    const node = async () => (await ok(await t.admin.get(`/v1/elements/${E.R.id}/cascade?year=2025`)))
      .contributors.find((c: Json) => c.element.id === E.X.id);
    expect(figures(await node())).toEqual([['IK-X', 100, null, 80, 80, 'high']]);
    await ok(await t.admin.post(`/v1/indicators/${I.X.id}/measurements/2025/verification`, { decision: 'returned', comment: 'Bukti dukung belum lengkap' }));
    expect(figures(await node())).toEqual([['IK-X', 100, null, null, null, 'no_data']]);
  });
});

describe('analyses', () => {
  it('are set per indicator and year, shown in the report, refused in a locked year', async () => {
    const op = await t.as('operator', A.D1.id);
    const url = `/v1/indicators/${I.D1.id}/analyses/2025`;
    expectProblem(await op.get(url), 404, 'not-found');
    const body = { causes: 'Posyandu aktif bertambah', supportingFactors: 'Dana desa', inhibitingFactors: '', solutions: 'Verifikasi bulanan' };
    const created = await op.put(url, body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ indicatorId: I.D1.id, year: 2025, ...body });
    const updated = await op.put(url, { causes: 'Posyandu aktif bertambah' }, { 'if-match': created.headers.etag as string });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ causes: 'Posyandu aktif bertambah', supportingFactors: '', solutions: '' });
    expectProblem(await op.put(url, body, { 'if-match': created.headers.etag as string }), 412, 'precondition-failed');
    const report = (await op.get(`/v1/agencies/${A.D1.id}/reports/2025`)).json();
    const ind = report.objectives[0].indicators[0];
    expect(ind.analysis).toEqual({ causes: 'Posyandu aktif bertambah', supportingFactors: '', inhibitingFactors: '', solutions: '' });
    expect(ind).toMatchObject({ target: null, targetRange: { min: 80, max: 90 }, realization: 92, achievement: 102.22, category: 'very_high' });
    expectProblem(await op.put(`/v1/indicators/${I.D1.id}/analyses/2031`, body), 400, 'validation');
    expectProblem(await (await t.as('operator', A.D2.id)).get(url), 404, 'not-found');
    await ok(await t.admin.put(`/v1/agencies/${A.D1.id}/locks/2025`, {}), 201);
    expectProblem(await op.put(url, body), 409, 'period-locked');
  });
});

describe('deleting elements with planning-cycle rows', () => {
  it('removes their crosscutting links, analyses and action plan lines with them', async () => {
    const a = await t.agency({ parentId: A.R.id });
    const b = await t.agency({ parentId: A.R.id });
    const planA = await createPlan(t.admin, a.id);
    const planB = await createPlan(t.admin, b.id);
    const elA = await createElement(t.admin, planA.id, { level: 'objective' });
    const elB = await createElement(t.admin, planB.id, { level: 'objective' });
    const ind = await createIndicator(t.admin, elA.id);
    await ok(await t.admin.post(`/v1/elements/${elA.id}/crosscutting`, { targetElementId: elB.id }), 201);
    await ok(await t.admin.put(`/v1/indicators/${ind.id}/analyses/2026`, { causes: 'x' }), 201);
    await ok(await t.admin.put(`/v1/agencies/${a.id}/action-plans/2026`, { items: [{ indicatorId: ind.id, quarterTargets: { Q1: 1, Q2: 1, Q3: 1, Q4: 1 } }] }), 201);
    expect((await t.admin.delete(`/v1/elements/${elA.id}`)).statusCode).toBe(204);
    expect((await t.admin.get(`/v1/agencies/${b.id}/crosscutting`)).json().data).toEqual([]);
    expect((await t.admin.get(`/v1/agencies/${a.id}/action-plans/2026`)).json().items).toEqual([]);
    expect((await t.admin.get(`/v1/plans/${planB.id}/tree`)).json().elements[0].crosscutting).toEqual([]);
  });
});
