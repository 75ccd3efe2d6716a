import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measurements, periodLocks } from '../../src/db/schema/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createElement, createIndicator, createPlan, expectProblem, planFixture } from '../helpers/planning.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const body = {
  code: 'IKU-01', name: 'Angka Partisipasi Murni SD', type: 'outcome', unit: '%', polarity: 'higher_is_better', aggregation: 'last',
  isKey: true, baseline: { year: 2024, value: 95.1234 }, definition: 'Murid SD usia 7-12 / penduduk usia 7-12', dataSource: 'Dapodik',
};

describe('indicators', () => {
  it('creates an indicator answering every field, reads it with an ETag', async () => {
    const a = await t.agency();
    const { plan, objective } = await planFixture(t.admin, a.id);
    const res = await t.admin.post(`/v1/elements/${objective.id}/indicators`, body);
    expect(res.statusCode).toBe(201);
    const ind = res.json();
    expect(ind).toEqual({
      id: expect.any(String), elementId: objective.id, planId: plan.id, agencyId: a.id, ...body,
      createdAt: expect.any(String), updatedAt: expect.any(String),
    });
    const got = await t.admin.get(`/v1/indicators/${ind.id}`);
    expect(got.json()).toEqual(ind);
    expect(got.headers.etag).toBeTruthy();
    const minimal = await createIndicator(t.admin, objective.id, { code: 'IK-2' });
    expect(minimal).toMatchObject({ isKey: false, baseline: null, definition: null, dataSource: null });
  });

  it('refuses invalid input and a code used elsewhere in the agency (409)', async () => {
    const a = await t.agency();
    const { plan, objective } = await planFixture(t.admin, a.id);
    await createIndicator(t.admin, objective.id, { code: 'DUP' });
    const otherElement = await createElement(t.admin, (await createPlan(t.admin, a.id)).id);
    expectProblem(await t.admin.post(`/v1/elements/${otherElement.id}/indicators`, { ...body, code: 'DUP' }), 409, 'conflict');
    // Another agency may use the same code.
    const b = await t.agency();
    expect((await createIndicator(t.admin, (await planFixture(t.admin, b.id)).objective.id, { code: 'DUP' })).code).toBe('DUP');
    for (const bad of [{ type: 'result' }, { polarity: 'up' }, { aggregation: 'max' }, { baseline: { year: 2024, value: 1.23456 } }, { unit: '' }, { extra: 1 }]) {
      const res = await t.admin.post(`/v1/elements/${objective.id}/indicators`, { ...body, code: 'NEW', ...bad });
      expectProblem(res, 400, 'validation');
    }
    expect(plan.id).toBeTruthy();
  });

  it('lists by agency with filters and pagination', async () => {
    const a = await t.agency();
    const { plan, objective, indicator: first } = await planFixture(t.admin, a.id);
    const k1 = await createIndicator(t.admin, objective.id, { code: 'K1', isKey: true, type: 'impact' });
    const goal2 = await createElement(t.admin, plan.id, { code: 'T9' });
    const k2 = await createIndicator(t.admin, goal2.id, { code: 'K2', isKey: true });
    const ids = (r: any) => r.json().data.map((i: any) => i.id);
    expect(ids(await t.admin.get(`/v1/agencies/${a.id}/indicators`))).toEqual([first.id, k1.id, k2.id]);
    expect(ids(await t.admin.get(`/v1/agencies/${a.id}/indicators?isKey=true`))).toEqual([k1.id, k2.id]);
    expect(ids(await t.admin.get(`/v1/agencies/${a.id}/indicators?isKey=false`))).toEqual([first.id]);
    expect(ids(await t.admin.get(`/v1/agencies/${a.id}/indicators?type=impact`))).toEqual([k1.id]);
    expect(ids(await t.admin.get(`/v1/agencies/${a.id}/indicators?elementId=${goal2.id}`))).toEqual([k2.id]);
    expect(ids(await t.admin.get(`/v1/agencies/${a.id}/indicators?planId=${plan.id}`))).toHaveLength(3);
    expect(ids(await t.admin.get(`/v1/agencies/${a.id}/indicators?updatedSince=${encodeURIComponent(k2.updatedAt)}`))).toEqual([k2.id]);
    const p1 = (await t.admin.get(`/v1/agencies/${a.id}/indicators?limit=2`)).json();
    expect(p1.data).toHaveLength(2);
    const p2 = (await t.admin.get(`/v1/agencies/${a.id}/indicators?limit=2&cursor=${p1.nextCursor}`)).json();
    expect(p2).toEqual({ data: [expect.objectContaining({ id: k2.id })], nextCursor: null });
    expectProblem(await t.admin.get(`/v1/agencies/${a.id}/indicators?isKey=maybe`), 400, 'validation');
  });

  it('patches with If-Match, refuses cross-agency access', async () => {
    const a = await t.agency();
    const { indicator } = await planFixture(t.admin, a.id);
    const etag = (await t.admin.get(`/v1/indicators/${indicator.id}`)).headers.etag as string;
    const ok = await t.admin.patch(`/v1/indicators/${indicator.id}`, { name: 'Nama baru', baseline: null, isKey: true }, { 'if-match': etag });
    expect(ok.json()).toMatchObject({ name: 'Nama baru', baseline: null, isKey: true });
    expectProblem(await t.admin.patch(`/v1/indicators/${indicator.id}`, { name: 'x' }, { 'if-match': etag }), 412, 'precondition-failed');
    const op = await t.as('operator', (await t.agency()).id);
    expectProblem(await op.get(`/v1/indicators/${indicator.id}`), 404, 'not-found');
    expectProblem(await op.patch(`/v1/indicators/${indicator.id}`, { name: 'x' }), 404, 'not-found');
    expectProblem(await op.get(`/v1/agencies/${a.id}/indicators`), 404, 'not-found');
    const viewer = await t.as('viewer', a.id);
    expect((await viewer.get(`/v1/indicators/${indicator.id}`)).statusCode).toBe(200);
    expectProblem(await viewer.patch(`/v1/indicators/${indicator.id}`, { name: 'x' }), 403, 'forbidden');
  });

  it('changes polarity/aggregation of a measured indicator only while no measured year is locked', async () => {
    const a = await t.agency();
    const { indicator } = await planFixture(t.admin, a.id);
    await t.database.db.insert(measurements).values({ indicatorId: indicator.id, period: '2025Q1', agencyId: a.id, value: '3', updatedBy: 'test' });
    const op = await t.as('operator', a.id);
    const ok = await op.patch(`/v1/indicators/${indicator.id}`, { aggregation: 'sum' });
    expect(ok.statusCode).toBe(200);
    const audit = (await t.admin.get(`/v1/audit?entityType=indicator&entityId=${indicator.id}`)).json().data[0];
    expect(audit).toMatchObject({ action: 'indicator.update-rules', before: { aggregation: 'last' }, after: { aggregation: 'sum' } });

    await t.database.db.insert(periodLocks).values({ agencyId: a.id, period: '2025', lockedBy: 'test' });
    const refused = await op.patch(`/v1/indicators/${indicator.id}`, { polarity: 'lower_is_better' });
    expectProblem(refused, 409, 'conflict');
    expect(refused.json().detail).toMatch(/locked.*2025Q1/);
    expect((await op.get(`/v1/indicators/${indicator.id}`)).json().polarity).toBe('higher_is_better');
    // Other fields stay editable.
    expect((await op.patch(`/v1/indicators/${indicator.id}`, { name: 'Tetap bisa' })).statusCode).toBe(200);
  });
});
