import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etagOf } from '../../src/http/etag.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { reportFixtures } from '../helpers/report-fixtures.js';

/** The report's weak ETag is taken from the serialised body (stringified once): it must equal the
 * ETag of the report without generatedAt, and stay the same while the figures do. */
describe('report ETag', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t?.close(); });

  it('is the ETag of the body without generatedAt, stable across reads, new when a figure changes', async () => {
    const agency = await t.agency({ name: 'Dinas "Uji", generatedAt' });
    const fx = reportFixtures(t.app.db);
    const plan = await fx.plan(agency.id, { startYear: 2025, endYear: 2029 });
    const objective = await fx.element(plan, { level: 'objective', code: 'S1' });
    const ind = await fx.indicator(objective, { code: 'IK-1', aggregation: 'sum' });
    await fx.targets(ind.id, { 2025: 100 });
    const url = `/v1/agencies/${agency.id}/reports/2025`;

    const first = await t.admin.get(url);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = first.json();
    expect(body.agency.name).toBe('Dinas "Uji", generatedAt');
    expect(first.headers.etag).toBe(`W/${etagOf({ ...body, generatedAt: undefined })}`);
    await new Promise((r) => setTimeout(r, 5)); // another generatedAt
    const second = await t.admin.get(url);
    expect(second.json().generatedAt).not.toBe(body.generatedAt);
    expect(second.headers.etag).toBe(first.headers.etag);

    const res = await t.admin.put(`/v1/indicators/${ind.id}/measurements/2025Q1`, { value: 40 });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const third = await t.admin.get(url);
    expect(third.headers.etag).not.toBe(first.headers.etag);
    expect(third.headers.etag).toBe(`W/${etagOf({ ...(third.json() as object), generatedAt: undefined })}`);
  });
});
