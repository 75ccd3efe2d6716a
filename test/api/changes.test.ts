import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.js';
import { createTestApp, type Client, type Json, type TestApp } from '../helpers/app.js';
import { planFixture, type PlanFixture } from '../helpers/measurement-fixtures.js';

/** GET /v1/changes: the events of every write path, scope, types, cursors. */
describe('changes feed', () => {
  let t: TestApp;
  let fx: PlanFixture;
  let other: PlanFixture;

  /** Follows the feed until an empty page after at least `want` events. The feed holds events back
   * while an older transaction anywhere on the cluster runs, so an empty page alone proves little. */
  const follow = async (api: Client, cursor?: string, query = '', want = 0, keep: (e: Json) => boolean = () => true) => {
    const seen: Json[] = [];
    let next = cursor;
    for (let i = 0; i < 4000; i++) {
      const res = await api.get(`/v1/changes?limit=3${next ? `&cursor=${next}` : ''}${query}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(typeof body.nextCursor).toBe('string');
      next = body.nextCursor;
      seen.push(...body.data.filter(keep));
      if (!body.data.length) {
        if (seen.length >= want) return { seen, cursor: next! };
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    throw new Error(`the feed did not hand out ${want} events`);
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

    const { seen } = await follow(t.admin, cursor, '', 8, (e) => ['measurement', 'period_lock'].includes(e.entityType));
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
    const mine = await follow(viewer, start, '', 2, (e) => e.entityType === 'measurement');
    expect(mine.seen.map((e) => [e.agencyId, e.type])).toEqual([[other.agencyId, 'measurement.created'], [other.agencyId, 'measurement.updated']]);
    const updates = await follow(t.admin, adminStart, '&types=measurement.updated,period.locked', 1);
    expect(updates.seen.map((e) => e.data.value)).toEqual([3]);
  });

  it.each([
    ['measurement.create', 'measurement.created'], ['measurement.update', 'measurement.updated'],
    ['measurement.delete', 'measurement.deleted'], ['measurement.verify', 'measurement.verified'],
    ['measurement.return', 'measurement.returned'], ['lock.create', 'period.locked'], ['lock.delete', 'period.unlocked'],
    ['report.submit', 'report.submitted'], ['agreement.sign', 'agreement.signed'], ['agreement.draft', 'agreement.drafted'],
    ['evaluation.finalize', 'evaluation.finalized'], ['evaluation.answers', 'evaluation.answered'],
    ['recommendation.status', 'recommendation.status_changed'], ['follow-up.create', 'follow_up.created'],
    ['indicator.update-rules', 'indicator.updated'], ['target.set', 'target.set'], ['budget.set', 'budget.set'],
    ['actionplan.review', 'actionplan.reviewed'], ['actionplan.submit', 'actionplan.submitted'],
    ['webhook.disable', 'webhook.disabled'], ['crosscutting.decide', 'crosscutting.decided'], ['schedule.apply', 'schedule.applied'],
  ])('names the event of audit action %s %s', async (action, type) => {
    const [row] = await queryRows<{ type: string }>(t.app.db, sql`SELECT event_type(${action}) AS type`);
    expect(row.type).toBe(type);
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
