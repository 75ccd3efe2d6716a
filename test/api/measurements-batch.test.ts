import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../helpers/app.js';
import { planFixture, type PlanFixture } from '../helpers/measurement-fixtures.js';

let t: TestApp;
let fx: PlanFixture;
let sub: Client;
beforeAll(async () => {
  t = await createTestApp();
  fx = await planFixture(t, await t.agency(), { count: 20 });
  sub = await t.as('submitter', fx.agencyId);
});
afterAll(async () => { await t.close(); });

const BATCH = '/v1/measurements/batch';
const csvHeaders = { 'content-type': 'text/csv; charset=utf-8' };
const ind = (i: number) => fx.indicators[i];
const history = async (id: string, period: string) => {
  const res = await t.admin.get(`/v1/indicators/${id}/measurements/${period}/history`);
  return res.statusCode === 404 ? [] : res.json().data;
};
const get = async (id: string, period: string) => (await t.admin.get(`/v1/indicators/${id}/measurements/${period}`)).json();

describe('measurement batch (JSON)', () => {
  it('creates, updates and leaves unchanged; a retry of the same batch is unchanged everywhere', async () => {
    const items = [
      { indicatorId: ind(0).id, period: '2025Q1', value: 10 },
      { agencyCode: fx.agencyCode, indicatorCode: ind(1).code, period: '2025Q1', value: '20.5', note: 'Capaian sesuai target' },
      { indicatorId: ind(2).id, period: '2025', value: -3.25 },
    ];
    const first = await sub.post(BATCH, { items });
    expect(first.statusCode).toBe(200);
    expect(first.json().summary).toEqual({ received: 3, created: 3, updated: 0, unchanged: 0, rejected: 0 });
    expect(first.json().results).toEqual([
      { row: 1, status: 'created', indicatorId: ind(0).id, period: '2025Q1' },
      { row: 2, status: 'created', indicatorId: ind(1).id, period: '2025Q1' },
      { row: 3, status: 'created', indicatorId: ind(2).id, period: '2025' },
    ]);
    expect(await get(ind(1).id, '2025Q1')).toMatchObject({ value: 20.5, note: 'Capaian sesuai target', revision: 1, status: 'submitted' });

    const retry = await sub.post(BATCH, { items });
    expect(retry.json().summary).toEqual({ received: 3, created: 0, updated: 0, unchanged: 3, rejected: 0 });
    expect(retry.json().results.every((r: any) => r.status === 'unchanged')).toBe(true);
    expect(await history(ind(0).id, '2025Q1')).toHaveLength(1);

    const changed = await sub.post(BATCH, { items: [{ ...items[0], value: 11 }, items[1], { ...items[2], value: '-3.2500' }] });
    expect(changed.json().summary).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    const h = await history(ind(0).id, '2025Q1');
    expect(h.map((r: any) => [r.revision, r.value, r.previousValue])).toEqual([[1, 10, null], [2, 11, 10]]);
    const audit = (await t.admin.get(`/v1/audit?entityType=measurement&entityId=${ind(0).id}/2025Q1`)).json().data;
    expect(audit.map((a: any) => a.action)).toEqual(['measurement.update', 'measurement.create']);
    expect(audit[0]).toMatchObject({ before: { value: 10, revision: 1 }, after: { value: 11, revision: 2, status: 'submitted' } });
  });

  it('reports a precise error for every kind of bad row and writes the good ones', async () => {
    const other = await planFixture(t, await t.agency(), { count: 1 });
    await t.admin.put(`/v1/agencies/${fx.agencyId}/locks/2024Q2`, {});
    const items = [
      { indicatorId: ind(3).id, period: '2026Q1', value: 1 }, // ok
      { indicatorId: '01900000-0000-7000-8000-000000000000', period: '2026Q1', value: 1 },
      { indicatorId: other.indicators[0].id, period: '2026Q1', value: 1 }, // out of scope
      { agencyCode: fx.agencyCode, indicatorCode: 'NOPE', period: '2026Q1', value: 1 },
      { indicatorId: ind(3).id, period: '2026Q5', value: 1 },
      { indicatorId: ind(3).id, period: '2035', value: 1 },
      { indicatorId: ind(3).id, period: '2024Q2', value: 1 },
      { indicatorId: ind(3).id, period: '2026Q2', value: 'dua' },
      { indicatorId: ind(3).id, period: '2026Q2', value: 'NaN' },
      { indicatorId: ind(3).id, period: '2026Q2', value: 1.23456 },
      { indicatorId: ind(3).id, period: '2026Q1', value: 2 }, // duplicate of row 1
      { period: '2026Q1', value: 1 },
      'not an object',
      { indicatorId: 'abc', period: '2026Q1', value: 1 },
    ];
    const res = await sub.post(BATCH, { items });
    expect(res.statusCode).toBe(200);
    const { summary, results } = res.json();
    expect(summary).toEqual({ received: 14, created: 1, updated: 0, unchanged: 0, rejected: 13 });
    const err = (row: number) => results[row - 1].error as string;
    expect(results[0]).toEqual({ row: 1, status: 'created', indicatorId: ind(3).id, period: '2026Q1' });
    expect(err(2)).toBe('unknown indicator');
    expect(err(3)).toBe('unknown indicator');
    expect(results[2].indicatorId).toBeUndefined();
    expect(err(4)).toMatch(/^unknown indicator NOPE/);
    expect(err(5)).toMatch(/invalid period "2026Q5"/);
    expect(err(6)).toMatch(/outside the indicator's plan \(2020-2029\)/);
    expect(results[6]).toMatchObject({ status: 'rejected', error: 'period 2024Q2 is locked' });
    expect(err(8)).toMatch(/is not a number/);
    expect(err(9)).toMatch(/not a finite number/);
    expect(err(10)).toMatch(/more than 4 decimal places/);
    expect(err(11)).toBe('duplicate of row 1 (same indicator and period)');
    expect(err(12)).toMatch(/indicatorId or agencyCode \+ indicatorCode is required/);
    expect(err(13)).toBe('item must be an object');
    expect(err(14)).toBe('unknown indicator');
    expect(await get(ind(3).id, '2026Q1')).toMatchObject({ value: 1 });
    expect(await history(other.indicators[0].id, '2026Q1')).toEqual([]);
  });

  it('dryRun reports without writing; atomic with one bad row writes nothing', async () => {
    await sub.post(BATCH, { items: [{ indicatorId: ind(4).id, period: '2027Q1', value: 1 }] });
    const items = [
      { indicatorId: ind(4).id, period: '2027Q1', value: 2 },
      { indicatorId: ind(4).id, period: '2027Q2', value: 2 },
      { indicatorId: ind(4).id, period: '2027Q3', value: 'x' },
    ];
    const dry = await sub.post(`${BATCH}?dryRun=true`, { items });
    expect(dry.json()).toMatchObject({ written: false, summary: { received: 3, created: 1, updated: 1, unchanged: 0, rejected: 1 } });
    expect(dry.json().results.map((r: any) => r.status)).toEqual(['updated', 'created', 'rejected']);
    expect((await get(ind(4).id, '2027Q1')).value).toBe(1);
    expect(await history(ind(4).id, '2027Q2')).toEqual([]);

    const atomic = await sub.post(`${BATCH}?atomic=true`, { items });
    expect(atomic.statusCode).toBe(200);
    // Nothing was written, and the valid rows say so (docs/batch.md): `valid`, not `unchanged`.
    expect(atomic.json()).toMatchObject({ written: false, summary: { created: 0, updated: 0, unchanged: 0, rejected: 1, valid: 2 } });
    expect(atomic.json().results.map((r: any) => r.status)).toEqual(['valid', 'valid', 'rejected']);
    expect((await get(ind(4).id, '2027Q1')).value).toBe(1);
    expect(await history(ind(4).id, '2027Q2')).toEqual([]);

    const ok = await sub.post(`${BATCH}?atomic=true`, { items: items.slice(0, 2) });
    expect(ok.json()).toMatchObject({ written: true, summary: { created: 1, updated: 1, rejected: 0 } });
  });

  it('replays an Idempotency-Key and refuses the same key with another body', async () => {
    const body = { items: [{ indicatorId: ind(5).id, period: '2028Q1', value: 5 }] };
    const key = { 'idempotency-key': 'batch-key-1' };
    const first = await sub.post(BATCH, body, key);
    const replay = await sub.post(BATCH, body, key);
    expect(replay.statusCode).toBe(200);
    expect(replay.body).toBe(first.body);
    expect(replay.json().summary.created).toBe(1);
    const reuse = await sub.post(BATCH, { items: [{ ...body.items[0], value: 6 }] }, key);
    expect(reuse.statusCode).toBe(422);
    expect(reuse.json().type).toBe('/problems/idempotency-key-reuse');
    expect((await get(ind(5).id, '2028Q1')).value).toBe(5);
  });

  it('refuses unreadable requests: bad JSON 400, wrong shape 400, other content types 415, too many rows 413', async () => {
    const bad = await sub.request({ method: 'POST', url: BATCH, payload: '{"items": [', headers: { 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
    expect((await sub.post(BATCH, { rows: [] })).statusCode).toBe(400);
    const form = await sub.request({ method: 'POST', url: BATCH, payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.statusCode).toBe(415);
    expect(form.json().type).toBe('/problems/unsupported-media-type');
    const xml = await sub.request({ method: 'POST', url: BATCH, payload: '<a/>', headers: { 'content-type': 'application/xml' } });
    expect(xml.statusCode).toBe(415);
    const many = Array.from({ length: 50_001 }, () => ({ indicatorId: ind(6).id, period: '2025Q1', value: 1 }));
    const tooMany = await sub.post(BATCH, { items: many });
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json().type).toBe('/problems/payload-too-large');
    const csv = `agency_code,indicator_code,period,value,note\n${`${fx.agencyCode},${ind(6).code},2025Q1,1,\n`.repeat(50_001)}`;
    expect((await sub.post(BATCH, csv, csvHeaders)).statusCode).toBe(413);
    expect(await history(ind(6).id, '2025Q1')).toEqual([]);
  });

  it('is for measurement writers only', async () => {
    const viewer = await t.as('viewer', fx.agencyId);
    expect((await viewer.post(BATCH, { items: [] })).statusCode).toBe(403);
    const empty = await sub.post(BATCH, { items: [] });
    expect(empty.json().summary).toEqual({ received: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 });
  });
});

describe('measurement batch (CSV)', () => {
  it('reads quoted commas, line breaks inside quotes, a BOM, CRLF and Indonesian text', async () => {
    const a = fx.agencyCode;
    const csv = '\uFEFFagency_code,indicator_code,period,value,note\r\n'
      + `${a},${ind(7).code},2025Q1,12.5,"Capaian sesuai target, data dari Dinas"\r\n`
      + `${a},${ind(8).code},2025Q1,7,"Baris pertama\r\nbaris kedua: ""kutipan"""\r\n`
      + `${a},${ind(9).code},2025,100,Realisasi anggaran tercapai — Dinas Pendidikan & Kebudayaan\r\n`
      + `${a},${ind(10).code},2025Q2,3,\r\n`
      + `${a},${ind(11).code},2025Q5,3,\r\n`
      + `${a},${ind(11).code},2025Q1,"1,5",\r\n`
      + `${a},${ind(11).code},2025Q1\r\n`;
    const res = await sub.post(BATCH, csv, csvHeaders);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.summary).toEqual({ received: 7, created: 4, updated: 0, unchanged: 0, rejected: 3 });
    expect(body.results.map((r: any) => r.row)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(body.results[4].error).toMatch(/invalid period/);
    expect(body.results[5].error).toMatch(/is not a number/);
    expect(body.results[6].error).toMatch(/expected 5 fields, got 3/);
    expect(await get(ind(7).id, '2025Q1')).toMatchObject({ value: 12.5, note: 'Capaian sesuai target, data dari Dinas' });
    expect((await get(ind(8).id, '2025Q1')).note).toBe('Baris pertama\r\nbaris kedua: "kutipan"');
    expect((await get(ind(9).id, '2025')).note).toBe('Realisasi anggaran tercapai — Dinas Pendidikan & Kebudayaan');
    expect((await get(ind(10).id, '2025Q2')).note).toBeNull();
    const again = await sub.post(BATCH, csv, csvHeaders);
    expect(again.json().summary).toMatchObject({ created: 0, updated: 0, unchanged: 4, rejected: 3 });
  });

  it('accepts the header without the note column, refuses a wrong header with 400', async () => {
    const ok = await sub.post(BATCH, `agency_code,indicator_code,period,value\n${fx.agencyCode},${ind(12).code},2025Q1,9\n`, csvHeaders);
    expect(ok.json().summary.created).toBe(1);
    const wrong = await sub.post(BATCH, `kode,indikator,periode,nilai\n${fx.agencyCode},${ind(12).code},2025Q1,9\n`, csvHeaders);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().type).toBe('/problems/validation');
    const broken = await sub.post(BATCH, 'agency_code,indicator_code,period,value\n"unterminated,1,2\n', csvHeaders);
    expect(broken.statusCode).toBe(400);
    expect((await sub.post(BATCH, '', csvHeaders)).statusCode).toBe(400);
  });
});
