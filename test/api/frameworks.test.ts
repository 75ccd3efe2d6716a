import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, uniq, type Json, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const BUILT_IN = 'permenpanrb-88-2021';

/** A small valid framework: two components (60 + 40), sub-component weights adding up. */
function customFramework(code = uniq('fw').toLowerCase()): Json {
  const sub = (c: string, s: string, weight: number, n = 1) => ({
    code: `${c}.${s}`, name: s, weight,
    criteria: Array.from({ length: n }, (_, i) => ({ id: `${code}-${c}-${s}-${i}`, text: `Kriteria ${i} (Criterion ${i})`, scale: i % 2 ? 'YT' : 'ABCD' })),
  });
  return {
    code, name: 'Kerangka uji (Test framework)',
    components: [
      { code: 'a', name: 'A', weight: 60, subComponents: [sub('a', 'x', 20.5, 2), sub('a', 'y', 39.5)] },
      { code: 'b', name: 'B', weight: 40, subComponents: [sub('b', 'x', 40, 3)] },
    ],
  };
}

describe('evaluation frameworks', () => {
  it('has the built-in PermenPAN-RB 88/2021 framework with the DOMAIN weights', async () => {
    const list = await t.admin.get('/v1/evaluation-frameworks');
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((f: Json) => f.code)).toContain(BUILT_IN);

    const viewer = await t.as('viewer', (await t.agency()).id);
    const res = await viewer.get(`/v1/evaluation-frameworks/${BUILT_IN}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBeTruthy();
    const fw = res.json();
    expect(fw).toMatchObject({ code: BUILT_IN, builtIn: true });
    const weights = fw.components.map((c: Json) => [c.code, c.weight, c.subComponents.map((s: Json) => [s.code, s.weight])]);
    expect(weights).toEqual([
      ['planning', 30, [['planning.fulfillment', 6], ['planning.quality', 9], ['planning.utilization', 15]]],
      ['measurement', 30, [['measurement.fulfillment', 6], ['measurement.quality', 9], ['measurement.utilization', 15]]],
      ['reporting', 15, [['reporting.fulfillment', 3], ['reporting.quality', 4.5], ['reporting.utilization', 7.5]]],
      ['internal_evaluation', 25, [['internal_evaluation.fulfillment', 5], ['internal_evaluation.quality', 7.5], ['internal_evaluation.utilization', 12.5]]],
    ]);
    const criteria = fw.components.flatMap((c: Json) => c.subComponents.flatMap((s: Json) => s.criteria));
    for (const c of fw.components) for (const s of c.subComponents) expect(s.criteria.length).toBeGreaterThanOrEqual(3);
    expect(new Set(criteria.map((c: Json) => c.id)).size).toBe(criteria.length);
    expect(criteria[0]).toEqual({ id: 'pk-1a-01', code: '1.a.1', text: expect.stringContaining('Renstra'), scale: 'ABCD' });
    expect(new Set(criteria.map((c: Json) => c.scale))).toEqual(new Set(['ABCD', 'YT']));

    // The id works as well as the code.
    const byId = await viewer.get(`/v1/evaluation-frameworks/${fw.id}`);
    expect(byId.json().code).toBe(BUILT_IN);
    expect((await viewer.get('/v1/evaluation-frameworks/no-such-framework')).statusCode).toBe(404);
  });

  it('lets an admin create a framework, validating its weights and criteria', async () => {
    const body = customFramework();
    const res = await t.admin.post('/v1/evaluation-frameworks', body);
    expect(res.statusCode).toBe(201);
    expect(res.json().components[0]).toMatchObject({ code: 'a', weight: 60, subComponents: [{ weight: 20.5 }, { weight: 39.5 }] });
    expect(res.json().components[0].subComponents[0].criteria[0].code).toBe(body.components[0].subComponents[0].criteria[0].id);
    expect((await t.admin.post('/v1/evaluation-frameworks', body)).statusCode).toBe(409);

    const badSum = customFramework();
    badSum.components[0].subComponents[1].weight = 39;
    const r1 = await t.admin.post('/v1/evaluation-frameworks', badSum);
    expect(r1.statusCode).toBe(400);
    expect(r1.json().detail).toMatch(/add up to 59.5, not 60/);

    const badTotal = customFramework();
    badTotal.components[1].weight = 45;
    badTotal.components[1].subComponents[0].weight = 45;
    expect((await t.admin.post('/v1/evaluation-frameworks', badTotal)).json().detail).toMatch(/add up to 105, not 100/);

    const dupIds = customFramework();
    dupIds.components[1].subComponents[0].criteria[1].id = dupIds.components[0].subComponents[0].criteria[0].id;
    expect((await t.admin.post('/v1/evaluation-frameworks', dupIds)).json().detail).toMatch(/used twice/);

    const empty = customFramework();
    empty.components[0].subComponents[1].criteria = [];
    const r2 = await t.admin.post('/v1/evaluation-frameworks', empty);
    expect(r2.statusCode).toBe(400);
    expect(r2.json().errors[0].path).toBe('components.0.subComponents.1.criteria');

    const negative = customFramework();
    negative.components[0].subComponents[0].weight = -1;
    expect((await t.admin.post('/v1/evaluation-frameworks', negative)).statusCode).toBe(400);

    const evaluator = await t.as('evaluator');
    expect((await evaluator.post('/v1/evaluation-frameworks', customFramework())).statusCode).toBe(403);
  });

  it('keeps built-in frameworks and frameworks in use immutable', async () => {
    expect((await t.admin.put(`/v1/evaluation-frameworks/${BUILT_IN}`, customFramework(BUILT_IN))).statusCode).toBe(409);
    expect((await t.admin.delete(`/v1/evaluation-frameworks/${BUILT_IN}`)).statusCode).toBe(409);

    const created = (await t.admin.post('/v1/evaluation-frameworks', customFramework())).json();
    const changed = { ...customFramework(created.code), name: 'Kerangka baru' };
    const stale = await t.admin.put(`/v1/evaluation-frameworks/${created.id}`, changed, { 'if-match': '"stale"' });
    expect(stale.statusCode).toBe(412);
    const put = await t.admin.put(`/v1/evaluation-frameworks/${created.code}`, changed);
    expect(put.statusCode).toBe(200);
    expect(put.json().name).toBe('Kerangka baru');

    const agency = await t.agency();
    expect((await t.admin.post(`/v1/agencies/${agency.id}/evaluations`, { year: 2025, frameworkId: created.code })).statusCode).toBe(201);
    const inUse = await t.admin.put(`/v1/evaluation-frameworks/${created.id}`, changed);
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().detail).toMatch(/used by evaluations/);
    expect((await t.admin.delete(`/v1/evaluation-frameworks/${created.id}`)).statusCode).toBe(409);

    const unused = (await t.admin.post('/v1/evaluation-frameworks', customFramework())).json();
    expect((await t.admin.delete(`/v1/evaluation-frameworks/${unused.id}`)).statusCode).toBe(204);
    expect((await t.admin.get(`/v1/evaluation-frameworks/${unused.id}`)).statusCode).toBe(404);
    const audit = (await t.admin.get(`/v1/audit?entityType=evaluation_framework&entityId=${created.id}`)).json().data;
    expect(audit.map((a: Json) => a.action)).toEqual(['framework.update', 'framework.create']);
  });
});
