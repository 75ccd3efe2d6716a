import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodLocks } from '../../src/db/schema/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createIndicator, expectProblem, planFixture, putTarget } from '../helpers/planning.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

describe('targets', () => {
  it('sets targets (201 then 200), lists them sorted, audits the change', async () => {
    const a = await t.agency();
    const { indicator } = await planFixture(t.admin, a.id);
    const url = (p: string) => `/v1/indicators/${indicator.id}/targets/${p}`;
    const created = await t.admin.put(url('2025'), { value: 80.5 });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ indicatorId: indicator.id, period: '2025', value: 80.5, updatedBy: 'test-admin' });
    const updated = await t.admin.put(url('2025'), { value: 82.1234 });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().value).toBe(82.1234);
    await putTarget(t.admin, indicator.id, '2025Q2', 40);
    await putTarget(t.admin, indicator.id, '2026', 85);
    await putTarget(t.admin, indicator.id, '2025Q1', 20);
    const list = (await t.admin.get(`/v1/indicators/${indicator.id}/targets`)).json();
    expect(list.nextCursor).toBeNull();
    expect(list.data.map((d: any) => [d.period, d.value])).toEqual([['2025', 82.1234], ['2025Q1', 20], ['2025Q2', 40], ['2026', 85]]);
    const audit = (await t.admin.get(`/v1/audit?entityType=target&entityId=${indicator.id}`)).json().data;
    expect(audit.find((e: any) => e.after.period === '2025' && e.before)).toMatchObject({ before: { value: 80.5 }, after: { value: 82.1234 } });
  });

  it('refuses bad periods, periods outside the plan and bad values (400)', async () => {
    const a = await t.agency();
    const { indicator } = await planFixture(t.admin, a.id);
    for (const p of ['2025Q5', '25Q1', '2025-Q1', '2025q1', '2025Q0', '20251']) {
      const res = await t.admin.put(`/v1/indicators/${indicator.id}/targets/${p}`, { value: 1 });
      expectProblem(res, 400, 'validation');
      expect(res.json().errors[0].path).toBe('period');
    }
    const outside = await t.admin.put(`/v1/indicators/${indicator.id}/targets/2030Q1`, { value: 1 });
    expectProblem(outside, 400, 'validation');
    expect(outside.json().detail).toContain('2025-2029');
    for (const value of [1.23456, '12', null, 1e16]) {
      expectProblem(await t.admin.put(`/v1/indicators/${indicator.id}/targets/2025`, { value }), 400, 'validation');
    }
  });

  it('refuses a locked period with period-locked, honours If-Match and scope', async () => {
    const a = await t.agency();
    const { indicator } = await planFixture(t.admin, a.id);
    const first = await t.admin.put(`/v1/indicators/${indicator.id}/targets/2026Q1`, { value: 1 });
    expectProblem(await t.admin.put(`/v1/indicators/${indicator.id}/targets/2026Q1`, { value: 2 }, { 'if-match': '"nope"' }), 412, 'precondition-failed');
    expect((await t.admin.put(`/v1/indicators/${indicator.id}/targets/2026Q1`, { value: 2 }, { 'if-match': first.headers.etag as string })).statusCode).toBe(200);
    await t.database.db.insert(periodLocks).values({ agencyId: a.id, period: '2026', lockedBy: 'test' });
    const locked = await t.admin.put(`/v1/indicators/${indicator.id}/targets/2026Q1`, { value: 3 });
    expectProblem(locked, 409, 'period-locked');
    expect((await t.admin.get(`/v1/indicators/${indicator.id}/targets`)).json().data[0].value).toBe(2);
    const other = await t.as('operator', (await t.agency()).id);
    expectProblem(await other.put(`/v1/indicators/${indicator.id}/targets/2025`, { value: 1 }), 404, 'not-found');
    expectProblem(await other.get(`/v1/indicators/${indicator.id}/targets`), 404, 'not-found');
    const submitter = await t.as('submitter', a.id);
    expectProblem(await submitter.put(`/v1/indicators/${indicator.id}/targets/2025`, { value: 1 }), 403, 'forbidden');
  });
});

describe('target batch', () => {
  it('reports every row precisely and writes the valid ones', async () => {
    const a = await t.agency();
    const { indicator, objective } = await planFixture(t.admin, a.id);
    const ind2 = await createIndicator(t.admin, objective.id, { code: 'IK-B2' });
    await putTarget(t.admin, indicator.id, '2025', 10);
    await putTarget(t.admin, indicator.id, '2026', 11);
    await t.database.db.insert(periodLocks).values({ agencyId: a.id, period: '2027Q3', lockedBy: 'test' });
    const foreign = (await planFixture(t.admin, (await t.agency()).id)).indicator;
    const op = await t.as('operator', a.id);
    const items = [
      { indicatorId: indicator.id, period: '2025', value: 10 }, // 1 unchanged
      { indicatorId: indicator.id, period: '2026', value: 12.5 }, // 2 updated
      { agencyCode: a.code, indicatorCode: 'IK-B2', period: '2025Q1', value: '3.25' }, // 3 created, by codes
      { indicatorId: '01900000-0000-7000-8000-000000000000', period: '2025', value: 1 }, // 4 unknown
      { indicatorId: foreign.id, period: '2025', value: 1 }, // 5 outside scope
      { indicatorId: indicator.id, period: '2025Q5', value: 1 }, // 6 bad period
      { indicatorId: indicator.id, period: '2031', value: 1 }, // 7 outside plan
      { indicatorId: ind2.id, period: '2027Q3', value: 1 }, // 8 locked
      { indicatorId: ind2.id, period: '2027', value: 'abc' }, // 9 bad value
      { indicatorId: ind2.id, period: '2025Q1', value: 4 }, // 10 duplicate of row 3
      { period: '2025', value: 1 }, // 11 no indicator
    ];
    const res = await op.post('/v1/targets/batch', { items });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.summary).toEqual({ received: 11, created: 1, updated: 1, unchanged: 1, rejected: 8 });
    expect(body.results.map((r: any) => [r.row, r.status])).toEqual([
      [1, 'unchanged'], [2, 'updated'], [3, 'created'], [4, 'rejected'], [5, 'rejected'], [6, 'rejected'],
      [7, 'rejected'], [8, 'rejected'], [9, 'rejected'], [10, 'rejected'], [11, 'rejected'],
    ]);
    expect(body.results[2]).toEqual({ row: 3, status: 'created', indicatorId: ind2.id, period: '2025Q1' });
    const err = (row: number) => body.results[row - 1].error;
    expect(err(4)).toMatch(/unknown indicator/);
    expect(err(5)).toMatch(/unknown indicator/);
    expect(err(6)).toMatch(/bad period/);
    expect(err(7)).toMatch(/outside the plan's years 2025-2029/);
    expect(err(8)).toMatch(/locked/);
    expect(err(9)).toMatch(/bad value/);
    expect(err(10)).toMatch(/duplicate of row 3/);
    expect(err(11)).toMatch(/indicatorId or by agencyCode/);
    const targets = (await t.admin.get(`/v1/indicators/${indicator.id}/targets`)).json().data;
    expect(targets.map((x: any) => [x.period, x.value])).toEqual([['2025', 10], ['2026', 12.5]]);
    expect((await t.admin.get(`/v1/indicators/${ind2.id}/targets`)).json().data).toEqual([expect.objectContaining({ period: '2025Q1', value: 3.25 })]);
    const audit = (await t.admin.get(`/v1/audit?entityType=target&entityId=${ind2.id}`)).json().data;
    expect(audit).toEqual([expect.objectContaining({ action: 'target.set', before: null, after: { period: '2025Q1', value: 3.25 } })]);
  });

  it('dryRun and atomic write nothing; CSV works; a bad CSV header is a 400', async () => {
    const a = await t.agency();
    const { indicator } = await planFixture(t.admin, a.id);
    const dry = (await t.admin.post('/v1/targets/batch?dryRun=true', { items: [{ indicatorId: indicator.id, period: '2025', value: 1 }] })).json();
    expect(dry).toMatchObject({ summary: { created: 1 }, dryRun: true, written: false });
    const atomic = (await t.admin.post('/v1/targets/batch?atomic=true', {
      items: [{ indicatorId: indicator.id, period: '2025', value: 1 }, { indicatorId: indicator.id, period: '2025Q9', value: 1 }],
    })).json();
    // Nothing was stored, so the good row is `valid`, not `created` (as in the measurement batch).
    expect(atomic).toMatchObject({ summary: { created: 0, valid: 1, rejected: 1 }, written: false });
    expect(atomic.results[0]).toMatchObject({ row: 1, status: 'valid' });
    expect((await t.admin.get(`/v1/indicators/${indicator.id}/targets`)).json().data).toEqual([]);

    const csv = `agency_code,indicator_code,period,value\n${a.code},${indicator.code},2025,75.5\n${a.code},${indicator.code},2025Q4,75.5\n${a.code},NOPE,2025,1\n`;
    const res = await t.admin.request({ method: 'POST', url: '/v1/targets/batch', payload: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().summary).toEqual({ received: 3, created: 2, updated: 0, unchanged: 0, rejected: 1 });
    expect(res.json().results[2]).toMatchObject({ row: 3, line: 4, status: 'rejected', period: '2025', agencyCode: a.code, indicatorCode: 'NOPE' });
    expect(res.json().written).toBe(true);
    // As a spreadsheet in Indonesian locale writes it: `;`, a BOM, a decimal comma, a blank line.
    const semi = `\uFEFFagency_code;indicator_code;period;value\r\n${a.code};${indicator.code};2026;80,25\r\n\r\n${a.code};NOPE;2026;1\r\n`;
    const semiRes = (await t.admin.request({ method: 'POST', url: '/v1/targets/batch', payload: semi, headers: { 'content-type': 'text/csv' } })).json();
    expect(semiRes.summary).toMatchObject({ created: 1, rejected: 1 });
    expect(semiRes.results[1]).toMatchObject({ row: 2, line: 4, status: 'rejected', indicatorCode: 'NOPE' });
    expect((await t.admin.get(`/v1/indicators/${indicator.id}/targets/2026`)).json()).toMatchObject({ value: 80.25 });
    const again = (await t.admin.request({ method: 'POST', url: '/v1/targets/batch', payload: semi, headers: { 'content-type': 'text/csv' } })).json();
    expect(again).toMatchObject({ summary: { created: 0, unchanged: 1 }, written: false });
    const bad = await t.admin.request({ method: 'POST', url: '/v1/targets/batch', payload: 'code,period,value\nX,2025,1\n', headers: { 'content-type': 'text/csv' } });
    expectProblem(bad, 400, 'validation');
    expectProblem(await t.admin.request({ method: 'POST', url: '/v1/targets/batch', payload: '{"items": [', headers: { 'content-type': 'application/json' } }), 400, 'validation');
    const viewer = await t.as('viewer', a.id);
    expectProblem(await viewer.post('/v1/targets/batch', { items: [] }), 403, 'forbidden');
  });

  it('honours Idempotency-Key and handles thousands of rows in one request', async () => {
    const a = await t.agency();
    const { indicator, objective } = await planFixture(t.admin, a.id);
    const inds = [indicator];
    for (let i = 0; i < 9; i++) inds.push(await createIndicator(t.admin, objective.id, { code: `BULK-${i}` }));
    const periods = [2025, 2026, 2027, 2028, 2029].flatMap((y) => [`${y}`, `${y}Q1`, `${y}Q2`, `${y}Q3`, `${y}Q4`]);
    const items = inds.flatMap((ind, n) => periods.map((p) => ({ agencyCode: a.code, indicatorCode: ind.code, period: p, value: n + 0.5 })));
    const key = { 'idempotency-key': 'bulk-1' };
    const first = await t.admin.post('/v1/targets/batch', { items }, key);
    expect(first.json().summary).toEqual({ received: 250, created: 250, updated: 0, unchanged: 0, rejected: 0 });
    const replay = await t.admin.post('/v1/targets/batch', { items }, key);
    expect(replay.json()).toEqual(first.json());
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const again = await t.admin.post('/v1/targets/batch', { items });
    expect(again.json().summary.unchanged).toBe(250);
  });
});
