import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../helpers/app.js';
import { planFixture, putTarget } from '../helpers/planning.js';

// API.md: GET of a single resource or report answers 304 to a matching If-None-Match.
describe('conditional GET', () => {
  let t: TestApp;
  let api: Client;
  const urls: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    api = t.admin;
    const agency = await t.agency();
    const { indicator } = await planFixture(api, agency.id);
    await putTarget(api, indicator.id, '2025', 90);
    const m = await api.put(`/v1/indicators/${indicator.id}/measurements/2025Q1`, { value: 80 });
    expect(m.statusCode).toBe(201);
    const evaluation = await api.post(`/v1/agencies/${agency.id}/evaluations`, { year: 2025, frameworkId: 'permenpanrb-88-2021' });
    expect(evaluation.statusCode).toBe(201);
    Object.assign(urls, {
      agency: `/v1/agencies/${agency.id}`,
      indicator: `/v1/indicators/${indicator.id}`,
      measurement: `/v1/indicators/${indicator.id}/measurements/2025Q1`,
      report: `/v1/agencies/${agency.id}/reports/2025`,
      evaluation: `/v1/evaluations/${evaluation.json().id}`,
    });
  });
  afterAll(() => t.close());

  for (const what of ['agency', 'indicator', 'measurement', 'report', 'evaluation']) {
    it(`${what}: 304 with no body to a matching If-None-Match, 200 otherwise`, async () => {
      const first = await api.get(urls[what]);
      expect(first.statusCode).toBe(200);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^(W\/)?"[^"]+"$/);

      const same = await api.get(urls[what], { 'if-none-match': etag });
      expect(same.statusCode).toBe(304);
      expect(same.body).toBe('');
      expect(same.headers.etag).toBe(etag);
      expect(same.headers['x-request-id']).toBeTruthy();

      const other = await api.get(urls[what], { 'if-none-match': '"not-this-one"' });
      expect(other.statusCode).toBe(200);
      expect(other.json()).toBeTruthy();
    });
  }

  it('matches weakly, in a list, and *', async () => {
    const { etag } = (await api.get(urls.indicator)).headers as { etag: string };
    const bare = etag.replace(/^W\//, '');
    for (const header of [`W/${bare}`, `"x", ${etag}, "y"`, '*']) {
      expect((await api.get(urls.indicator, { 'if-none-match': header })).statusCode, header).toBe(304);
    }
    // the report's weak tag matches its strong spelling too
    const report = (await api.get(urls.report)).headers.etag as string;
    expect((await api.get(urls.report, { 'if-none-match': report.replace(/^W\//, '') })).statusCode).toBe(304);
  });

  it('a changed resource answers 200 with its new ETag to the old one', async () => {
    const before = (await api.get(urls.measurement)).headers.etag as string;
    const changed = await api.put(urls.measurement, { value: 85 });
    expect(changed.statusCode).toBe(200);
    const after = await api.get(urls.measurement, { 'if-none-match': before });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(before);
    expect(after.json().value).toBe(85);
  });

  it('the report as CSV has its own ETag and answers 304 too', async () => {
    const csv = await api.get(urls.report, { accept: 'text/csv' });
    expect(csv.statusCode).toBe(200);
    const again = await api.get(urls.report, { accept: 'text/csv', 'if-none-match': csv.headers.etag as string });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('If-None-Match never turns a write or a problem into 304', async () => {
    const etag = (await api.get(urls.agency)).headers.etag as string;
    const write = await api.patch(urls.agency, { name: 'Dinas Baru' }, { 'if-none-match': '*', 'if-match': etag });
    expect(write.statusCode).toBe(200);
    const missing = await api.get('/v1/agencies/00000000-0000-7000-8000-000000000000', { 'if-none-match': '*' });
    expect(missing.statusCode).toBe(404);
  });
});
