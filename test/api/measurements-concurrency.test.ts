import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { queryRows } from '../../src/db/client.js';
import { sql } from 'drizzle-orm';
import { twoAppsOnOneDatabase, type Client, type TwoApps } from '../helpers/app.js';
import { planFixture, type PlanFixture } from '../helpers/measurement-fixtures.js';

const ROWS = 2_000;
const PERIODS = ['2025Q1', '2025Q2', '2025Q3', '2025Q4'];

/** Two API processes (two app instances, two pools) on one PostgreSQL database receive the same
 * batch at the same moment: exactly-once must hold across them. */
describe.runIf(!!process.env.DATABASE_URL)('measurement batch: two API processes at once', () => {
  let two: TwoApps;
  let apps: FastifyInstance[];
  let clients: Client[];
  let fx: PlanFixture;

  beforeAll(async () => {
    two = await twoAppsOnOneDatabase(5);
    ({ apps, admins: clients } = two);
    const agency = (await clients[0].post('/v1/agencies', { code: 'KONKUREN', name: 'Dinas Konkuren', kind: 'department' })).json();
    fx = await planFixture({ app: apps[0] }, agency, { count: ROWS / PERIODS.length });
  });
  afterAll(async () => {
    await two?.close();
  });

  const batchOf = (round: number) => ({
    items: fx.indicators.flatMap((ind, i) => PERIODS.map((period, q) => ({
      indicatorId: ind.id, period,
      // Round 0 creates; later rounds change every other row, so some rows stay unchanged.
      value: round === 0 || (i + q) % 2 === 1 ? i + q : i + q + round / 10,
    }))),
  });

  it('leaves one measurement per indicator and period and one revision per real change', async () => {
    const db = apps[0].db;
    const distinctValues = new Map<string, Set<number>>();
    const sums = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
    for (let round = 0; round < 4; round++) {
      const body = batchOf(round);
      for (const it of body.items) {
        const k = `${it.indicatorId}|${it.period}`;
        if (!distinctValues.has(k)) distinctValues.set(k, new Set());
        distinctValues.get(k)!.add(it.value);
      }
      const [a, b] = await Promise.all(clients.map((c) => c.post('/v1/measurements/batch', body)));
      expect(a.statusCode).toBe(200);
      expect(b.statusCode).toBe(200);
      const sa = a.json().summary;
      const sb = b.json().summary;
      for (const k of ['created', 'updated', 'unchanged', 'rejected'] as const) sums[k] += sa[k] + sb[k];
      // Each row is written by exactly one of the two; the other finds it unchanged.
      expect(sa.created + sb.created + sa.updated + sb.updated).toBe(round === 0 ? ROWS : ROWS / 2);
      expect(sa.rejected + sb.rejected).toBe(0);
    }
    const [m] = await queryRows<{ n: number; keys: number }>(db, sql`SELECT count(*)::int AS n, count(DISTINCT (indicator_id, period))::int AS keys FROM measurements`);
    expect(m).toEqual({ n: ROWS, keys: ROWS });
    const expectedRevisions = [...distinctValues.values()].reduce((s, v) => s + v.size, 0);
    const [r] = await queryRows<{ n: number; dup: number }>(db, sql`
      SELECT count(*)::int AS n, (count(*) - count(DISTINCT (indicator_id, period, revision)))::int AS dup FROM measurement_revisions`);
    expect(r).toEqual({ n: expectedRevisions, dup: 0 });
    const [audits] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'measurement'`);
    expect(audits.n).toBe(expectedRevisions);
    expect(sums.created).toBe(ROWS);
    expect(sums.created + sums.updated).toBe(expectedRevisions);
    expect(sums.created + sums.updated + sums.unchanged).toBe(2 * 4 * ROWS);
    // The revision counter of each measurement equals its number of revision rows.
    const [bad] = await queryRows<{ n: number }>(db, sql`
      SELECT count(*)::int AS n FROM measurements m
      WHERE m.revision <> (SELECT count(*) FROM measurement_revisions r WHERE r.indicator_id = m.indicator_id AND r.period = m.period)`);
    expect(bad.n).toBe(0);
  });

  it('keeps every revision chain intact when two processes write different values to the same rows', async () => {
    const db = apps[0].db;
    const [before] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM measurement_revisions`);
    const rowsOf = (round: number, who: number) => ({
      items: fx.indicators.flatMap((ind, i) => PERIODS.map((period, q) => ({ indicatorId: ind.id, period, value: i + q + 100 * round + who }))),
    });
    for (let round = 1; round <= 3; round++) {
      const [a, b] = await Promise.all(clients.map((c, who) => c.post('/v1/measurements/batch', rowsOf(round, who + 1))));
      // Both writes of every row are real changes (the values differ), so both count.
      expect(a.json().summary.updated).toBe(ROWS);
      expect(b.json().summary.updated).toBe(ROWS);
    }
    const [after] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM measurement_revisions`);
    expect(after.n - before.n).toBe(3 * 2 * ROWS);
    // Each revision's previous value is the value of the revision before it, with no gaps, and the
    // measurement holds its last revision.
    const [broken] = await queryRows<{ n: number }>(db, sql`
      SELECT count(*)::int AS n FROM measurement_revisions r
      JOIN measurement_revisions p ON p.indicator_id = r.indicator_id AND p.period = r.period AND p.revision = r.revision - 1
      WHERE r.previous_value IS DISTINCT FROM p.value`);
    expect(broken.n).toBe(0);
    const [gaps] = await queryRows<{ n: number }>(db, sql`
      SELECT count(*)::int AS n FROM measurements m
      WHERE m.revision <> (SELECT count(*) FROM measurement_revisions r WHERE r.indicator_id = m.indicator_id AND r.period = m.period)
         OR m.value <> (SELECT r.value FROM measurement_revisions r WHERE r.indicator_id = m.indicator_id AND r.period = m.period AND r.revision = m.revision)`);
    expect(gaps.n).toBe(0);
  });
});
