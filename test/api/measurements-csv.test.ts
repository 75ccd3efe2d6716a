import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../helpers/app.js';
import { planFixture, type PlanFixture } from '../helpers/measurement-fixtures.js';

let t: TestApp;
let fx: PlanFixture;
let sub: Client;
let op: Client;
beforeAll(async () => {
  t = await createTestApp();
  fx = await planFixture(t, await t.agency(), { count: 12 });
  sub = await t.as('submitter', fx.agencyId);
  op = await t.as('operator', fx.agencyId);
});
afterAll(async () => { await t.close(); });

const BATCH = '/v1/measurements/batch';
const csv = { 'content-type': 'text/csv' };
const ind = (i: number) => fx.indicators[i];
const url = (id: string, period: string) => `/v1/indicators/${id}/measurements/${period}`;
const get = async (id: string, period: string) => (await t.admin.get(url(id, period))).json();

describe('CSV as spreadsheets write it', () => {
  it('imports a ;-separated file with a BOM, a decimal comma and a blank line, with the right line numbers', async () => {
    const a = fx.agencyCode;
    const text = '\uFEFFagency_code;indicator_code;period;value;note\r\n' // line 1
      + `${a};${ind(0).code};2025Q1;12,5;Capaian sesuai target, data dari Dinas\r\n` // 2
      + '\r\n' // 3: blank
      + `${a};${ind(1).code};2025Q1;7;\r\n` // 4
      + `${a};NOPE;2025Q1;1;\r\n` // 5
      + `${a};${ind(2).code};2025Q5;1;"dua\r\nbaris"\r\n` // 6-7
      + `${a};${ind(3).code};2025Q1;1.234,5;\r\n` // 8
      + `${a};${ind(4).code};2025Q1\r\n`; // 9
    const res = await sub.post(BATCH, text, csv);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.summary).toEqual({ received: 6, created: 2, updated: 0, unchanged: 0, rejected: 4 });
    expect(body.written).toBe(true);
    expect(body.results[0]).toEqual({ row: 1, status: 'created', indicatorId: ind(0).id, period: '2025Q1' });
    expect(body.results[2]).toMatchObject({ row: 3, line: 5, status: 'rejected', agencyCode: a, indicatorCode: 'NOPE', period: '2025Q1' });
    expect(body.results[3]).toMatchObject({ row: 4, line: 6, status: 'rejected', agencyCode: a, indicatorCode: ind(2).code, error: expect.stringMatching(/invalid period/) });
    expect(body.results[4]).toMatchObject({ row: 5, line: 8, status: 'rejected', indicatorCode: ind(3).code, error: expect.stringMatching(/is not a number/) });
    expect(body.results[5]).toMatchObject({ row: 6, line: 9, status: 'rejected', indicatorCode: ind(4).code, error: expect.stringMatching(/expected 5 fields, got 3/) });
    expect(await get(ind(0).id, '2025Q1')).toMatchObject({ value: 12.5, note: 'Capaian sesuai target, data dari Dinas' });
    expect((await get(ind(1).id, '2025Q1')).value).toBe(7);
  });

  it('refuses a decimal comma in a ,-file as ambiguous, naming the line', async () => {
    const text = `agency_code,indicator_code,period,value\n\n${fx.agencyCode},${ind(5).code},2025Q1,"1,5"\n`;
    const res = await sub.post(BATCH, text, csv);
    expect(res.json().results[0]).toMatchObject({
      row: 1, line: 3, status: 'rejected', agencyCode: fx.agencyCode, indicatorCode: ind(5).code,
      error: expect.stringMatching(/is not a number in a comma-separated file.*1\.5/),
    });
    expect(res.json().written).toBe(false);
  });

  it('says which separator it found when the header is wrong', async () => {
    const semi = await sub.post(BATCH, 'kode;indikator;periode;nilai\nA;B;2025;1\n', csv);
    expect(semi.statusCode).toBe(400);
    expect(semi.json()).toMatchObject({ type: '/problems/validation', errors: [{ path: 'header' }] });
    expect(semi.json().detail).toMatch(/semicolon \(;\)/);
    expect(semi.json().detail).toMatch(/separated by , or ;/);
    const tabs = await sub.post(BATCH, 'agency_code\tindicator_code\tperiod\tvalue\n', csv);
    expect(tabs.statusCode).toBe(400);
    expect(tabs.json().detail).toMatch(/neither , nor ;/);
  });

  it('answers written: false when nothing changed; an atomic ;-file with a bad row writes nothing and its valid rows say so', async () => {
    const a = fx.agencyCode;
    const again = await sub.post(BATCH, `agency_code;indicator_code;period;value\n${a};${ind(1).code};2025Q1;7\n`, csv);
    expect(again.json()).toMatchObject({ written: false, summary: { unchanged: 1 } });
    const text = `agency_code;indicator_code;period;value\n${a};${ind(6).code};2025Q1;3,25\n${a};${ind(7).code};2025Q1;x\n`;
    const atomic = await sub.post(`${BATCH}?atomic=true`, text, csv);
    expect(atomic.json()).toEqual({
      summary: { received: 2, created: 0, updated: 0, unchanged: 0, rejected: 1, valid: 1 },
      written: false,
      results: [
        { row: 1, status: 'valid', indicatorId: ind(6).id, period: '2025Q1' },
        { row: 2, line: 3, status: 'rejected', agencyCode: a, indicatorCode: ind(7).code, period: '2025Q1', error: expect.stringMatching(/is not a number/) },
      ],
    });
    expect((await t.admin.get(url(ind(6).id, '2025Q1'))).statusCode).toBe(404);
  });
});

describe('one measurement writer', () => {
  /** Audit rows and revisions of a measurement, without what differs by nature (ids, times). */
  const trail = async (id: string, period: string) => {
    const audit = (await t.admin.get(`/v1/audit?entityType=measurement&entityId=${id}/${period}`)).json().data
      .map((a: any) => ({ action: a.action, actor: a.actor, before: a.before, after: a.after }));
    const revisions = (await t.admin.get(`${url(id, period)}/history`)).json().data
      .map(({ changedAt, ...r }: any) => { expect(Date.parse(changedAt)).not.toBeNaN(); return r; });
    return { audit, revisions };
  };

  it('the PUT and the batch leave identical audit contents and revisions for the same changes', async () => {
    const [p, b] = [ind(8).id, ind(9).id];
    const steps: Array<{ value: number; note?: string }> = [
      { value: 10, note: 'Data awal' }, { value: 10, note: 'Catatan diperbaiki' }, { value: 12.5, note: 'Catatan diperbaiki' }, { value: 12.5 },
    ];
    for (const [i, s] of steps.entries()) {
      const put = await sub.put(url(p, '2026Q1'), s);
      expect(put.statusCode).toBe(i === 0 ? 201 : 200);
      const batch = await sub.post(BATCH, { items: [{ indicatorId: b, period: '2026Q1', ...s }] });
      expect(batch.json().results[0].status).toBe(i === 0 ? 'created' : 'updated');
      // A verification between changes: a changed value must send both back to submitted.
      if (i === 1) {
        for (const id of [p, b]) expect((await op.post(`${url(id, '2026Q1')}/verification`, { decision: 'returned', comment: 'Lengkapi' })).statusCode).toBe(200);
      }
    }
    const [viaPut, viaBatch] = [await trail(p, '2026Q1'), await trail(b, '2026Q1')];
    expect(viaPut.audit).toHaveLength(5);
    expect(viaBatch).toEqual(viaPut);
    expect(viaPut.audit[1]).toMatchObject({
      action: 'measurement.update',
      before: { value: 10, status: 'returned', verificationComment: 'Lengkapi', revision: 3 },
      after: { value: 12.5, status: 'submitted', verificationComment: null, revision: 4, evidence: [] },
    });
    const [mp, mb] = [await get(p, '2026Q1'), await get(b, '2026Q1')];
    expect({ ...mb, indicatorId: p, updatedAt: mp.updatedAt }).toEqual(mp);
  });

  it('an identical PUT and batch row write nothing', async () => {
    const id = ind(10).id;
    await sub.put(url(id, '2026Q2'), { value: 1, evidence: [{ title: 'Bukti', url: 'https://example.go.id/b.pdf' }] });
    expect((await sub.put(url(id, '2026Q2'), { value: '1.0', evidence: [{ title: 'Bukti', url: 'https://example.go.id/b.pdf' }] })).statusCode).toBe(200);
    // The batch keeps the evidence (it has no column for it): same value, same note, unchanged.
    expect((await sub.post(BATCH, { items: [{ indicatorId: id, period: '2026Q2', value: 1 }] })).json().results[0].status).toBe('unchanged');
    const { audit, revisions } = await trail(id, '2026Q2');
    expect(audit.map((a: any) => a.action)).toEqual(['measurement.create']);
    expect(revisions).toHaveLength(1);
    expect((await get(id, '2026Q2')).evidence).toEqual([{ title: 'Bukti', url: 'https://example.go.id/b.pdf' }]);
  });
});

describe('CSV answers take ?delimiter=semicolon', () => {
  it('writes the report with ; between columns, and refuses an unknown delimiter', async () => {
    const res = await t.admin.get(`/v1/agencies/${fx.agencyId}/reports/2025?delimiter=semicolon`, { accept: 'text/csv' });
    expect(res.statusCode).toBe(200);
    const raw = res.rawPayload.toString('utf8');
    expect(raw.startsWith('\uFEFFagency_code;year;objective_code;objective_title;indicator_code;')).toBe(true);
    const lines = raw.slice(1).split('\r\n').filter(Boolean);
    const row = lines.find((l) => l.includes(`;${ind(0).code};`))!;
    expect(row.split(';')).toHaveLength(lines[0].split(';').length);
    expect(row.split(';')[11]).toBe('12.5'); // realization, written as in JSON
    const comma = await t.admin.get(`/v1/agencies/${fx.agencyId}/reports/2025?delimiter=comma`, { accept: 'text/csv' });
    expect(comma.rawPayload.toString('utf8').replace(/;/g, ',')).toBe(raw.replace(/;/g, ','));
    const bad = await t.admin.get(`/v1/agencies/${fx.agencyId}/reports/2025?delimiter=tab`, { accept: 'text/csv' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('delimiter');
  });
});
