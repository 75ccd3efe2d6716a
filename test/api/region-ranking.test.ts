/**
 * A region of 55 departments ranked by achievement and summarised by evaluation grade, with a
 * number of database queries that does not grow with the region (counted on the pg driver).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/db/schema/columns.js';
import { agencies, evaluationAnswers, evaluations, evaluationFrameworks } from '../../src/db/schema/index.js';
import { eq } from 'drizzle-orm';
import { createTestApp, type Client, type Json, type TestApp } from '../helpers/app.js';
import { SERVER_URL } from '../helpers/db.js';
import { reportFixtures } from '../helpers/report-fixtures.js';

const N = 55;
let t: TestApp;
let big: Json; let small: Json;
const codeOf = (prefix: string, i: number) => `${prefix}${String(i).padStart(3, '0')}`;

/** Departments below `parent`, written straight to the table (with their scope paths). */
async function departments(parent: Json, prefix: string, n: number) {
  const rows = Array.from({ length: n }, (_, i) => ({
    id: newId(), code: codeOf(prefix, i), name: `Dinas ${prefix} ${i}`, kind: 'department' as const, parentId: parent.id, path: [parent.id],
  })).map((r) => ({ ...r, path: [...parent.path ?? [parent.id], r.id] }));
  return t.database.db.insert(agencies).values(rows).returning();
}

/** Agency i: indicator A target 100, realization 50 + i (achievement 50 + i); indicator B target
 * 200, realization 100 (50.00). Mean achievement = (50 + i + 50) / 2 = 50 + i / 2. */
async function plans(rows: Array<{ id: string }>) {
  const f = reportFixtures(t.database.db);
  for (const [i, a] of rows.entries()) {
    const plan = await f.plan(a.id, { startYear: 2021, endYear: 2026 });
    const obj = await f.element(plan, { level: 'objective', code: 'S1' });
    const ia = await f.indicator(obj, { code: 'A', aggregation: 'last' });
    const ib = await f.indicator(obj, { code: 'B', aggregation: 'last' });
    await f.targets(ia.id, { 2025: 100 });
    await f.targets(ib.id, { 2025: 200 });
    await f.measurements(ia, [{ period: '2025', value: 50 + i }]);
    await f.measurements(ib, [{ period: '2025Q4', value: 100 }]);
  }
}

/** Final evaluations: even agencies answer every criterion best (100 AA), odd ones nothing (0 D). */
async function evaluationsOf(rows: Array<{ id: string }>) {
  const db = t.database.db;
  const [fw] = await db.select().from(evaluationFrameworks).where(eq(evaluationFrameworks.code, 'permenpanrb-88-2021'));
  const ids = fw.definition.components.flatMap((c) => c.subComponents.flatMap((s) => s.criteria.map((cr) => ({ id: cr.id, best: cr.scale === 'ABCD' ? 'A' : 'Y' }))));
  const evs = await db.insert(evaluations).values(rows.map((a) => ({
    agencyId: a.id, year: 2025, frameworkId: fw.id, status: 'final' as const, finalizedAt: new Date(), finalizedBy: 'fixture', createdBy: 'fixture',
  }))).returning();
  const answers = evs.filter((_, i) => i % 2 === 0).flatMap((e) => ids.map((c) => ({ evaluationId: e.id, criterionId: c.id, answer: c.best, updatedBy: 'fixture' })));
  await db.insert(evaluationAnswers).values(answers);
}

beforeAll(async () => {
  t = await createTestApp();
  big = await t.agency({ kind: 'regency', name: 'Kabupaten Besar' });
  small = await t.agency({ kind: 'city', name: 'Kota Kecil' });
  const bigRows = await departments(big, 'BIG', N);
  const smallRows = await departments(small, 'SML', 3);
  await departments(big, 'NOPLAN', 2); // no plan: no achievement, ranked last
  await plans([...bigRows, ...smallRows]);
  await evaluationsOf([...bigRows, ...smallRows]);
}, 120_000);
afterAll(async () => { await t.close(); });

describe('achievement ranking of a region', () => {
  it('ranks every agency below the parent by its report\'s mean achievement, nulls last', async () => {
    const res = await t.admin.get(`/v1/reports/2025/ranking?parentId=${big.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json().data;
    expect(data).toHaveLength(N + 2);
    // 50 + i / 2, highest first: i = 54 -> 77.00, i = 53 -> 76.50, ..., i = 0 -> 50.00
    expect(data.slice(0, N).map((d: Json) => d.code)).toEqual(Array.from({ length: N }, (_, k) => codeOf('BIG', N - 1 - k)));
    expect(data.slice(0, N).map((d: Json) => d.meanAchievement)).toEqual(Array.from({ length: N }, (_, k) => 50 + (N - 1 - k) / 2));
    // i = 54: A 104.00 very_high, B 50.00 very_low
    expect(data[0]).toMatchObject({ indicators: 2, byCategory: { very_high: 1, high: 0, medium: 0, low: 0, very_low: 1, not_computable: 0, no_data: 0 } });
    expect(data.slice(N).map((d: Json) => [d.code, d.meanAchievement, d.indicators])).toEqual([['NOPLAN000', null, 0], ['NOPLAN001', null, 0]]);
    // The same figure as the agency's own report.
    const own = (await t.admin.get(`/v1/agencies/${data[7].agencyId}/reports/2025`)).json();
    expect(own.summary.meanAchievement).toBe(data[7].meanAchievement);
  });

  it('filters by scope', async () => {
    const evaluator = await t.as('evaluator', small.id);
    const data = (await evaluator.get('/v1/reports/2025/ranking')).json().data;
    // The small city's departments are agencies 55..57 of the fixture (77.50, 78.00, 78.50); without
    // parentId the whole scope counts, the city itself too (no plan: last).
    expect(data.map((d: Json) => [d.code, d.meanAchievement])).toEqual([['SML002', 78.5], ['SML001', 78], ['SML000', 77.5], [small.code, null]]);
    expect((await evaluator.get(`/v1/reports/2025/ranking?parentId=${big.id}`)).statusCode).toBe(404);
  });
});

describe('evaluation summary of a region', () => {
  it('counts grades and ranks the totals', async () => {
    const res = await t.admin.get(`/v1/evaluations/summary?year=2025&parentId=${big.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    // 28 even agencies at 100, 27 odd ones at 0: mean 2800 / 55 = 50.909... -> 50.91
    expect(body).toMatchObject({ year: 2025, agencies: N, byGrade: { AA: 28, A: 0, BB: 0, B: 0, CC: 0, C: 0, D: 27 }, meanTotal: 50.91 });
    expect(body.ranking.slice(0, 2).map((r: Json) => [r.code, r.total, r.grade])).toEqual([['BIG000', 100, 'AA'], ['BIG002', 100, 'AA']]);
    expect(body.ranking.at(-1)).toMatchObject({ code: 'BIG053', total: 0, grade: 'D' });
  });
});

describe.runIf(SERVER_URL)('a constant number of queries, whatever the size of the region (pg)', () => {
  /** Queries the pg driver sends while `fn` runs (every pool query goes through Client#query). */
  async function queriesDuring(fn: () => Promise<unknown>): Promise<number> {
    const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = proto.query;
    let count = 0;
    proto.query = function (this: unknown, ...args: unknown[]) {
      count += 1;
      return original.apply(this, args);
    };
    try {
      await fn();
    } finally {
      proto.query = original;
    }
    return count;
  }

  const expectConstant = async (api: Client, path: (parent: Json) => string) => {
    const ok = async (parent: Json) => {
      const res = await api.get(path(parent));
      expect(res.statusCode).toBe(200);
    };
    await ok(small); // warm up (token cache and the like)
    const forSmall = await queriesDuring(() => ok(small));
    const forBig = await queriesDuring(() => ok(big));
    expect(forSmall).toBeGreaterThan(0);
    expect(forBig).toBe(forSmall); // 3 agencies or 57: the same queries
    expect(forBig).toBeLessThanOrEqual(12);
  };

  it('ranking', async () => { await expectConstant(t.admin, (p) => `/v1/reports/2025/ranking?parentId=${p.id}`); });
  it('evaluation summary', async () => { await expectConstant(t.admin, (p) => `/v1/evaluations/summary?year=2025&parentId=${p.id}`); });
  it('completeness', async () => { await expectConstant(t.admin, (p) => `/v1/reports/2025/completeness?period=2025Q4&parentId=${p.id}`); });
});
