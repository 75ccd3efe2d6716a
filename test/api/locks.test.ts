import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../helpers/app.js';
import { planFixture, type PlanFixture } from '../helpers/measurement-fixtures.js';

let t: TestApp;
let fx: PlanFixture;
let op: Client;
let sub: Client;
beforeAll(async () => {
  t = await createTestApp();
  fx = await planFixture(t, await t.agency(), { count: 3 });
  op = await t.as('operator', fx.agencyId);
  sub = await t.as('submitter', fx.agencyId);
});
afterAll(async () => { await t.close(); });

const locks = () => `/v1/agencies/${fx.agencyId}/locks`;
const mUrl = (i: number, period: string) => `/v1/indicators/${fx.indicators[i].id}/measurements/${period}`;

describe('period locks', () => {
  it('locks (201, then 200), lists, reads one, and unlocks by admin only (operator 403)', async () => {
    const first = await op.put(`${locks()}/2024Q3`, { reason: 'LKjIP TW III sudah disampaikan' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ agencyId: fx.agencyId, period: '2024Q3', reason: 'LKjIP TW III sudah disampaikan', lockedBy: op.info.clientId });
    const again = await op.put(`${locks()}/2024Q3`);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect((await op.put(`${locks()}/2024Q2`)).statusCode).toBe(201);

    const list = await sub.get(locks());
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ data: [expect.objectContaining({ period: '2024Q2' }), expect.objectContaining({ period: '2024Q3' })], nextCursor: null });
    const page = (await sub.get(`${locks()}?limit=1`)).json();
    expect(page.data.map((l: any) => l.period)).toEqual(['2024Q2']);
    expect((await sub.get(`${locks()}?limit=1&cursor=${page.nextCursor}`)).json().data.map((l: any) => l.period)).toEqual(['2024Q3']);

    expect((await sub.get(`${locks()}/2024Q3`)).statusCode).toBe(200);
    expect((await sub.get(`${locks()}/2024Q4`)).statusCode).toBe(404);
    expect((await sub.put(`${locks()}/2024Q4`)).statusCode).toBe(403);
    expect((await op.delete(`${locks()}/2024Q3`)).statusCode).toBe(403);
    expect((await t.admin.delete(`${locks()}/2024Q3`)).statusCode).toBe(204);
    expect((await t.admin.delete(`${locks()}/2024Q3`)).statusCode).toBe(404);
    expect((await sub.get(`${locks()}/2024Q3`)).statusCode).toBe(404);
    expect((await op.put(`${locks()}/2024Q9`)).statusCode).toBe(400);

    const audit = (await t.admin.get(`/v1/audit?entityType=period_lock&entityId=${fx.agencyId}/2024Q3`)).json().data;
    expect(audit.map((a: any) => a.action)).toEqual(['lock.delete', 'lock.create']);
  });

  it('a locked quarter refuses PUT and batch rows with period-locked; other quarters stay open', async () => {
    await sub.put(mUrl(0, '2025Q1'), { value: 1 });
    await op.put(`${locks()}/2025Q1`);
    const res = await sub.put(mUrl(0, '2025Q1'), { value: 2 });
    expect(res.statusCode).toBe(409);
    expect(res.json().type).toBe('/problems/period-locked');
    expect((await sub.put(mUrl(0, '2025Q2'), { value: 2 })).statusCode).toBe(201);
    expect((await op.post(`${mUrl(0, '2025Q1')}/verification`, { decision: 'verified' })).statusCode).toBe(409);
    const batch = await sub.post('/v1/measurements/batch', {
      items: [{ indicatorId: fx.indicators[0].id, period: '2025Q1', value: 3 }, { indicatorId: fx.indicators[0].id, period: '2025Q3', value: 3 }],
    });
    expect(batch.json().results.map((r: any) => [r.status, r.error])).toEqual([['rejected', 'period 2025Q1 is locked'], ['created', undefined]]);
    expect((await t.admin.get(mUrl(0, '2025Q1'))).json()).toMatchObject({ value: 1, revision: 1 });
  });

  it('a locked year locks its quarters, until an admin unlocks it', async () => {
    await op.put(`${locks()}/2026`, { reason: 'Laporan tahunan diserahkan' });
    for (const p of ['2026', '2026Q1', '2026Q4']) {
      const res = await sub.put(mUrl(1, p), { value: 1 });
      expect(res.statusCode).toBe(409);
      expect(res.json().type).toBe('/problems/period-locked');
    }
    expect((await sub.get(`${locks()}/2026Q2`)).json()).toMatchObject({ period: '2026' });
    const batch = await sub.post('/v1/measurements/batch', {
      items: ['2026', '2026Q2', '2027Q1'].map((period) => ({ indicatorId: fx.indicators[1].id, period, value: 1 })),
    });
    expect(batch.json().summary).toMatchObject({ created: 1, rejected: 2 });
    expect((await t.admin.delete(`${locks()}/2026`)).statusCode).toBe(204);
    expect((await sub.put(mUrl(1, '2026Q1'), { value: 1 })).statusCode).toBe(201);
  });

  it('is scoped: another agency\'s operator sees 404', async () => {
    const other = await t.agency();
    const otherOp = await t.as('operator', other.id);
    expect((await otherOp.get(locks())).statusCode).toBe(404);
    expect((await otherOp.put(`${locks()}/2030`)).statusCode).toBe(404);
  });
});
