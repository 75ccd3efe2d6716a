import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodLocks } from '../../src/db/schema/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem, planFixture } from '../helpers/planning.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

describe('budgets', () => {
  it('sets allocated and realized per year (201, then 200), lists by year, audits', async () => {
    const a = await t.agency();
    const { objective } = await planFixture(t.admin, a.id);
    const op = await t.as('operator', a.id);
    const url = (y: number) => `/v1/elements/${objective.id}/budgets/${y}`;
    const created = await op.put(url(2026), { allocated: 2500000000.5, realized: 0 });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ elementId: objective.id, year: 2026, allocated: 2500000000.5, realized: 0 });
    const over = await op.put(url(2026), { allocated: 100, realized: 120.25 }, { 'if-match': created.headers.etag as string });
    expect(over.statusCode).toBe(200);
    expect(over.json()).toMatchObject({ allocated: 100, realized: 120.25 });
    expectProblem(await op.put(url(2026), { allocated: 1, realized: 1 }, { 'if-match': created.headers.etag as string }), 412, 'precondition-failed');
    await op.put(url(2025), { allocated: 50, realized: 25 });
    const list = (await op.get(`/v1/elements/${objective.id}/budgets`)).json();
    expect(list.data.map((b: any) => [b.year, b.allocated, b.realized])).toEqual([[2025, 50, 25], [2026, 100, 120.25]]);
    const audit = (await t.admin.get(`/v1/audit?entityType=budget&entityId=${objective.id}`)).json().data;
    expect(audit).toHaveLength(3);
  });

  it('refuses negatives, more than 4 decimals, years outside the plan, locked years and strangers', async () => {
    const a = await t.agency();
    const { objective } = await planFixture(t.admin, a.id);
    const url = (y: number | string) => `/v1/elements/${objective.id}/budgets/${y}`;
    expectProblem(await t.admin.put(url(2025), { allocated: -1, realized: 0 }), 400, 'validation');
    expectProblem(await t.admin.put(url(2025), { allocated: 1, realized: -0.5 }), 400, 'validation');
    expectProblem(await t.admin.put(url(2025), { allocated: 1.00001, realized: 0 }), 400, 'validation');
    expectProblem(await t.admin.put(url(2025), { allocated: 1 }), 400, 'validation');
    expectProblem(await t.admin.put(url(2024), { allocated: 1, realized: 0 }), 400, 'validation');
    expectProblem(await t.admin.put(url('2025Q1'), { allocated: 1, realized: 0 }), 400, 'validation');
    await t.database.db.insert(periodLocks).values({ agencyId: a.id, period: '2027', lockedBy: 'test' });
    expectProblem(await t.admin.put(url(2027), { allocated: 1, realized: 0 }), 409, 'period-locked');
    const other = await t.as('operator', (await t.agency()).id);
    expectProblem(await other.put(url(2025), { allocated: 1, realized: 0 }), 404, 'not-found');
    expectProblem(await other.get(`/v1/elements/${objective.id}/budgets`), 404, 'not-found');
    expect((await t.admin.get(`/v1/elements/${objective.id}/budgets`)).json().data).toEqual([]);
  });
});
