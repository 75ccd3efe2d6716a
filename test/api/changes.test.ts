import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type Json, type TestApp } from '../helpers/app.js';
import { planFixture, type PlanFixture } from '../helpers/measurement-fixtures.js';

/** GET /v1/changes: the events of every write path, scope, types, cursors. */
describe('changes feed', () => {
  let t: TestApp;
  let fx: PlanFixture;
  let other: PlanFixture;

  const follow = async (api: Client, cursor?: string, query = '') => {
    const seen: Json[] = [];
    let next = cursor;
    for (;;) {
      const res = await api.get(`/v1/changes?limit=3${next ? `&cursor=${next}` : ''}${query}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(typeof body.nextCursor).toBe('string');
      next = body.nextCursor;
      if (!body.data.length) return { seen, cursor: next! };
      seen.push(...body.data);
    }
  };

  beforeAll(async () => {
    t = await createTestApp();
    fx = await planFixture(t, await t.agency(), { count: 2 });
    other = await planFixture(t, await t.agency(), { count: 1 });
  });
  afterAll(() => t.close());

  it('turns measurement writes, verification, locks and batches into typed events in order', async () => {
    const { cursor } = await follow(t.admin);
    const [a, b] = fx.indicators;
    expect((await t.admin.put(`/v1/indicators/${a.id}/measurements/2025Q1`, { value: 10 })).statusCode).toBe(201);
    expect((await t.admin.put(`/v1/indicators/${a.id}/measurements/2025Q1`, { value: 11 })).statusCode).toBe(200);
    expect((await t.admin.post(`/v1/indicators/${a.id}/measurements/2025Q1/verification`, { decision: 'returned', comment: 'bukti kurang' })).statusCode).toBe(200);
    expect((await t.admin.post(`/v1/indicators/${a.id}/measurements/2025Q1/verification`, { decision: 'verified' })).statusCode).toBe(200);
    const batch = await t.admin.post('/v1/measurements/batch', { items: [{ indicatorId: b.id, period: '2025Q1', value: 3 }, { indicatorId: b.id, period: '2025Q2', value: 4 }] });
    expect(batch.json().summary.created).toBe(2);
    expect((await t.admin.put(`/v1/agencies/${fx.agencyId}/locks/2025`, {})).statusCode).toBe(201);
    expect((await t.admin.delete(`/v1/agencies/${fx.agencyId}/locks/2025`)).statusCode).toBe(204);

    const { seen } = await follow(t.admin, cursor);
    expect(seen.map((e) => e.type)).toEqual([
      'measurement.created', 'measurement.updated', 'measurement.returned', 'measurement.verified',
      'measurement.created', 'measurement.created', 'period.locked', 'period.unlocked',
    ]);
    expect(seen[0]).toMatchObject({ entityType: 'measurement', entityId: `${a.id}/2025Q1`, agencyId: fx.agencyId, data: { value: 10, revision: 1 } });
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    expect(seen[6]).toMatchObject({ entityType: 'period_lock', entityId: `${fx.agencyId}/2025` });
  });

  it('keeps to the caller\'s scope and filters by type', async () => {
    const viewer = await t.as('viewer', other.agencyId);
    const { cursor: start } = await follow(viewer);
    const { cursor: adminStart } = await follow(t.admin);
    await t.admin.put(`/v1/indicators/${fx.indicators[0].id}/measurements/2025Q3`, { value: 1 });
    await t.admin.put(`/v1/indicators/${other.indicators[0].id}/measurements/2025Q3`, { value: 2 });
    await t.admin.put(`/v1/indicators/${other.indicators[0].id}/measurements/2025Q3`, { value: 3 });
    const mine = await follow(viewer, start);
    expect(mine.seen.map((e) => [e.agencyId, e.type])).toEqual([[other.agencyId, 'measurement.created'], [other.agencyId, 'measurement.updated']]);
    const updates = await follow(t.admin, adminStart, '&types=measurement.updated,period.locked');
    expect(updates.seen.map((e) => e.data.value)).toEqual([3]);
  });

  it('answers a cursor on an empty page and refuses bad input', async () => {
    const { cursor } = await follow(t.admin);
    const res = await t.admin.get(`/v1/changes?cursor=${cursor}`);
    expect(res.json()).toEqual({ data: [], nextCursor: expect.any(String) });
    expect((await t.admin.get('/v1/changes?cursor=nonsense')).statusCode).toBe(400);
    expect((await t.admin.get('/v1/changes?types=measurement')).statusCode).toBe(400);
    expect((await t.admin.get('/v1/changes?limit=0')).statusCode).toBe(400);
    expect((await t.anonymous.get('/v1/changes')).statusCode).toBe(401);
  });
});
