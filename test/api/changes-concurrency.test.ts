import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.js';
import { twoAppsOnOneDatabase, type Client, type Json, type TwoApps } from '../helpers/app.js';
import { planFixture, type PlanFixture } from '../helpers/measurement-fixtures.js';

const WRITERS = 4;
const STEPS = 40;
const PERIODS = ['2025Q1', '2025Q2'];

/** Two API processes on one PostgreSQL database, four writers hammering the same measurements
 * (so transactions commit out of xid order), and a reader following /v1/changes meanwhile. */
describe.runIf(!!process.env.DATABASE_URL)('changes feed under concurrent writers on two processes', () => {
  let two: TwoApps;
  let apps: FastifyInstance[];
  let clients: Client[];
  let fx: PlanFixture;

  beforeAll(async () => {
    two = await twoAppsOnOneDatabase(6, { WEBHOOK_DISPATCH: 'false' });
    ({ apps, admins: clients } = two);
    const agency = (await clients[0].post('/v1/agencies', { code: 'UMPAN', name: 'Dinas Umpan', kind: 'department' })).json();
    fx = await planFixture({ app: apps[0] }, agency, { count: 3 });
  });
  afterAll(async () => {
    await two?.close();
  });

  async function writer(api: Client, w: number) {
    for (let step = 0; step < STEPS; step++) {
      const ind = fx.indicators[(w + step) % fx.indicators.length];
      const period = PERIODS[step % PERIODS.length];
      const base = `/v1/indicators/${ind.id}/measurements/${period}`;
      const kind = (w * 7 + step) % 5;
      let res;
      if (kind === 3) {
        res = await api.post(`${base}/verification`, { decision: step % 2 ? 'verified' : 'returned', comment: `cek ${w}.${step}` });
        expect([200, 404]).toContain(res.statusCode); // 404 before the first value exists
      } else if (kind === 4) {
        res = await api.post('/v1/measurements/batch', {
          items: fx.indicators.map((i, n) => ({ indicatorId: i.id, period: PERIODS[(n + step) % 2], value: w * 1000 + step + n / 10 })),
        });
        expect(res.statusCode).toBe(200);
      } else {
        res = await api.put(base, { value: w * 1000 + step });
        expect([200, 201]).toContain(res.statusCode);
      }
    }
  }

  it('sees every committed change exactly once, in each entity\'s revision order', async () => {
    const reader = clients[1];
    const seen: Json[] = [];
    let cursor = '';
    const poll = async () => {
      const res = await reader.get(`/v1/changes?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      cursor = res.json().nextCursor;
      seen.push(...res.json().data);
      return res.json().data.length as number;
    };
    await poll();
    const start = seen.length;
    let writing = true;
    const writers = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(clients[w % 2], w))).finally(() => { writing = false; });
    while (writing) await poll();
    await writers;
    // Everything is committed now; the feed may still hold events back while any older transaction
    // of the cluster (another database's, too) is running: poll until it has handed out as many.
    const stored = await queryRows<{ id: string }>(apps[0].db, sql`SELECT id::text FROM events WHERE entity_type = 'measurement' ORDER BY seq`);
    const measurementEvents = () => seen.slice(start).filter((e) => e.entityType === 'measurement');
    for (let i = 0; i < 600 && measurementEvents().length < stored.length; i++) {
      if (!(await poll())) await new Promise((r) => setTimeout(r, 50));
    }
    await poll();

    const got = measurementEvents();
    const ids = got.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(stored.map((r) => r.id)));
    const audits = await queryRows<{ n: number }>(apps[0].db, sql`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'measurement'`);
    expect(ids.length).toBe(audits[0].n);

    // Per measurement: revisions 1..n, each once, in order; n is the stored revision.
    const byEntity = new Map<string, number[]>();
    for (const e of got) byEntity.set(e.entityId, [...(byEntity.get(e.entityId) ?? []), e.data.revision]);
    const current = await queryRows<{ key: string; revision: number }>(apps[0].db, sql`
      SELECT indicator_id::text || '/' || period AS key, revision FROM measurements`);
    expect(byEntity.size).toBe(current.length);
    for (const m of current) {
      expect(byEntity.get(m.key)).toEqual(Array.from({ length: m.revision }, (_, i) => i + 1));
    }
  });
});
