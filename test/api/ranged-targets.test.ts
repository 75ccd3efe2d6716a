import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Json, type TestApp } from '../helpers/app.js';
import { createIndicator, expectProblem, planFixture } from '../helpers/planning.js';

let t: TestApp;
let agency: Json;
let fx: Awaited<ReturnType<typeof planFixture>>;
let lower: Json;

beforeAll(async () => {
  t = await createTestApp();
  agency = await t.agency();
  fx = await planFixture(t.admin, agency.id);
  lower = await createIndicator(t.admin, fx.objective.id, { code: 'IK-LOW', polarity: 'lower_is_better', aggregation: 'last', unit: 'bulan' });
});
afterAll(async () => { await t.close(); });

const measure = async (indicatorId: string, period: string, value: number) => {
  const res = await t.admin.put(`/v1/indicators/${indicatorId}/measurements/${period}`, { value });
  expect([200, 201]).toContain(res.statusCode);
};
const reportLine = async (indicatorId: string) => {
  const report = (await t.admin.get(`/v1/agencies/${agency.id}/reports/2025`)).json();
  return report.objectives.flatMap((o: Json) => o.indicators).find((i: Json) => i.indicatorId === indicatorId);
};

describe('ranged targets (target rentang)', () => {
  it('sets a range and reads it back with value null; a single value has min and max null', async () => {
    const url = `/v1/indicators/${fx.indicator.id}/targets/2025`;
    const res = await t.admin.put(url, { min: 80, max: 90 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ indicatorId: fx.indicator.id, period: '2025', value: null, min: 80, max: 90 });
    expect((await t.admin.put(url, { min: 80, max: 90 })).statusCode).toBe(200); // unchanged
    expect((await t.admin.get(url)).json()).toMatchObject({ value: null, min: 80, max: 90 });
    const q = await t.admin.put(`/v1/indicators/${fx.indicator.id}/targets/2025Q1`, { value: 20.5 });
    expect(q.json()).toMatchObject({ value: 20.5, min: null, max: null });
    // what was read back can be sent again (nulls count as absent)
    const readBack = (await t.admin.get(url)).json();
    expect((await t.admin.put(url, { value: readBack.value, min: readBack.min, max: readBack.max })).statusCode).toBe(200);
    const single = `/v1/indicators/${fx.indicator.id}/targets/2029`;
    expect((await t.admin.put(single, { value: 7, min: null, max: null })).json()).toMatchObject({ value: 7, min: null, max: null });
    const list = (await t.admin.get(`/v1/indicators/${fx.indicator.id}/targets`)).json().data.filter((x: Json) => x.period !== '2029');
    expect(list.map((x: Json) => [x.period, x.value, x.min, x.max])).toEqual([['2025', null, 80, 90], ['2025Q1', 20.5, null, null]]);
  });

  it.each([
    [{ min: 0, max: 5 }, 'min'],
    [{ min: -1, max: 5 }, 'min'],
    [{ min: 5, max: 5 }, 'max'],
    [{ min: 9, max: 5 }, 'max'],
    [{ min: 5 }, 'max'],
    [{ max: 5 }, 'min'],
    [{ value: 5, min: 1, max: 6 }, 'value'],
    [{}, 'value'],
  ])('refuses %j naming %s (400) and changes nothing', async (body, path) => {
    const url = `/v1/indicators/${fx.indicator.id}/targets/2026`;
    const res = await t.admin.put(url, body);
    expectProblem(res, 400, 'validation');
    expect(res.json().errors.map((e: Json) => e.path)).toContain(path);
    expectProblem(await t.admin.get(url), 404, 'not-found');
  });

  it('computes the report with the DOMAIN.md worked cases, the range shown as targetRange', async () => {
    // 80–90 higher: R 70 -> 87.50, R 92 -> 102.22, R 85 -> 100.00
    for (const [r, want, category] of [[70, 87.5, 'high'], [92, 102.22, 'very_high'], [85, 100, 'very_high']] as const) {
      await measure(fx.indicator.id, '2025', r);
      expect(await reportLine(fx.indicator.id)).toMatchObject({ target: null, targetRange: { min: 80, max: 90 }, realization: r, achievement: want, category });
    }
    // 7–8 lower: R 6.5 -> 107.14, R 9 -> 87.50
    await t.admin.put(`/v1/indicators/${lower.id}/targets/2025`, { min: 7, max: 8 });
    for (const [r, want] of [[6.5, 107.14], [9, 87.5]] as const) {
      await measure(lower.id, '2025', r);
      expect(await reportLine(lower.id)).toMatchObject({ target: null, targetRange: { min: 7, max: 8 }, achievement: want });
    }
    const report = (await t.admin.get(`/v1/agencies/${agency.id}/reports/2025`)).json();
    expect(report.summary.meanAchievement).toBe(93.75); // (100 + 87.5) / 2
    // a ranged quarter: 20–25, R 18 -> 90.00
    await t.admin.put(`/v1/indicators/${fx.indicator.id}/targets/2025Q2`, { min: 20, max: 25 });
    await measure(fx.indicator.id, '2025Q2', 18);
    const line = await reportLine(fx.indicator.id);
    expect(line.quarters[1]).toEqual({ period: '2025Q2', target: null, targetRange: { min: 20, max: 25 }, realization: 18, achievement: 90 });
    expect(line.quarters[0]).toEqual({ period: '2025Q1', target: 20.5, realization: null, achievement: null });
    const csv = (await t.admin.get(`/v1/agencies/${agency.id}/reports/2025`, { accept: 'text/csv' })).body.split('\r\n');
    const header = csv[0].replace('\uFEFF', '').split(',');
    const row = csv.find((l) => l.includes(fx.indicator.code))!.split(',');
    expect([row[header.indexOf('target')], row[header.indexOf('target_min')], row[header.indexOf('target_max')], row[header.indexOf('achievement')]])
      .toEqual(['', '80', '90', '100']);
  });

  it('takes ranges in agreement items (targetMin + targetMax) and the report uses the signed range', async () => {
    const url = `/v1/agencies/${agency.id}/agreements/2025`;
    const bad = await t.admin.put(url, { items: [{ indicatorId: lower.id, targetMin: 8, targetMax: 7 }] });
    expectProblem(bad, 400, 'validation');
    expect(bad.json().errors.map((e: Json) => e.path)).toEqual(['items.0.targetMax']);
    const zero = await t.admin.put(url, { items: [{ indicatorId: lower.id, targetMin: 0, targetMax: 7 }] });
    expect(zero.json().errors.map((e: Json) => e.path)).toEqual(['items.0.targetMin']);
    const res = await t.admin.put(url, { items: [{ indicatorId: lower.id, targetMin: 6, targetMax: 7 }, { indicatorId: fx.indicator.id, target: 84 }] });
    expect(res.statusCode).toBe(201);
    const items = [...res.json().items].sort((a: Json, b: Json) => (a.target ?? 0) - (b.target ?? 0));
    expect(items).toEqual([{ indicatorId: lower.id, target: null, targetMin: 6, targetMax: 7 }, { indicatorId: fx.indicator.id, target: 84 }]);
    expect((await t.admin.post(`${url}/sign`, { signedBy: 'Kepala Dinas' })).statusCode).toBe(200);
    // lower 6–7, R 9 above the range: (2*7 - 9) / 7 = 71.43; single 84, R 85 -> 101.19
    expect(await reportLine(lower.id)).toMatchObject({ target: null, targetRange: { min: 6, max: 7 }, achievement: 71.43, category: 'medium' });
    expect(await reportLine(fx.indicator.id)).toMatchObject({ target: 84, targetRange: null, achievement: 101.19 });
  });

  it('imports ranges in the batch, as JSON and as CSV with min,max columns', async () => {
    const json = await t.admin.post('/v1/targets/batch', {
      items: [
        { indicatorId: lower.id, period: '2026', min: 5, max: 6.5 },
        { indicatorId: lower.id, period: '2027', value: 5 },
        { indicatorId: lower.id, period: '2028', min: 6, max: 6 },
        { indicatorId: lower.id, period: '2029', value: 4, min: 1, max: 2 },
      ],
    });
    expect(json.statusCode).toBe(200);
    expect(json.json().results.map((r: Json) => r.status)).toEqual(['created', 'created', 'rejected', 'rejected']);
    expect(json.json().results[2].error).toMatch(/max/);
    expect((await t.admin.get(`/v1/indicators/${lower.id}/targets/2026`)).json()).toMatchObject({ value: null, min: 5, max: 6.5 });
    const csv = await t.admin.request({
      method: 'POST', url: '/v1/targets/batch', headers: { 'content-type': 'text/csv' },
      payload: `agency_code,indicator_code,period,value,min,max\n${agency.code},IK-LOW,2026,,5,6.5\n${agency.code},IK-LOW,2027,,4,5\n${agency.code},IK-LOW,2028,3,,\n`,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.json().results.map((r: Json) => r.status)).toEqual(['unchanged', 'updated', 'created']);
    expect((await t.admin.get(`/v1/indicators/${lower.id}/targets/2027`)).json()).toMatchObject({ value: null, min: 4, max: 5 });
    expect((await t.admin.get(`/v1/indicators/${lower.id}/targets/2028`)).json()).toMatchObject({ value: 3, min: null, max: null });
  });
});
