import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../helpers/app.js';
import { planFixture, type PlanFixture } from '../helpers/measurement-fixtures.js';

let t: TestApp;
let fx: PlanFixture;
let op: Client;
let sub: Client;
beforeAll(async () => {
  t = await createTestApp();
  fx = await planFixture(t, await t.agency(), { count: 6 });
  op = await t.as('operator', fx.agencyId);
  sub = await t.as('submitter', fx.agencyId);
});
afterAll(async () => { await t.close(); });

const url = (ind: string, period: string) => `/v1/indicators/${ind}/measurements/${period}`;
const revisions = async (ind: string, period: string) => (await t.admin.get(`${url(ind, period)}/history`)).json().data;

describe('PUT measurement', () => {
  it('creates with 201, updates with 200, answers the documented fields with an ETag', async () => {
    const ind = fx.indicators[0].id;
    const created = await sub.put(url(ind, '2025Q1'), { value: 72.5, note: 'Capaian sesuai target, data dari Dinas', evidence: [{ title: 'Laporan TW I', url: 'https://example.go.id/tw1.pdf' }] });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toMatch(/^"[^"]+"$/);
    expect(created.json()).toMatchObject({
      indicatorId: ind, period: '2025Q1', value: 72.5, note: 'Capaian sesuai target, data dari Dinas',
      evidence: [{ title: 'Laporan TW I', url: 'https://example.go.id/tw1.pdf' }], status: 'submitted', revision: 1,
      updatedBy: sub.info.clientId,
    });
    expect(Date.parse(created.json().updatedAt)).not.toBeNaN();
    const updated = await sub.put(url(ind, '2025Q1'), { value: 80.1234 });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ value: 80.1234, note: null, evidence: [], revision: 2 });
    const got = await t.admin.get(url(ind, '2025Q1'));
    expect(got.statusCode).toBe(200);
    expect(got.headers.etag).toBe(updated.headers.etag);
    expect(got.json()).toEqual(updated.json());
  });

  it('an unchanged PUT writes no revision and no audit row', async () => {
    const ind = fx.indicators[1].id;
    const body = { value: 10, note: 'Catatan', evidence: [{ title: 'Bukti', url: 'https://example.go.id/b' }] };
    const first = await op.put(url(ind, '2024'), body);
    expect(first.statusCode).toBe(201);
    const again = await op.put(url(ind, '2024'), { ...body, value: '10.0000' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(await revisions(ind, '2024')).toHaveLength(1);
    const audit = (await t.admin.get(`/v1/audit?entityType=measurement&entityId=${ind}/2024`)).json().data;
    expect(audit.map((a: any) => a.action)).toEqual(['measurement.create']);
  });

  it('keeps history oldest first with previous values; a changed value resets the status to submitted', async () => {
    const ind = fx.indicators[2].id;
    await sub.put(url(ind, '2025Q2'), { value: 1 });
    await sub.put(url(ind, '2025Q2'), { value: 2.5 });
    const verified = await op.post(`${url(ind, '2025Q2')}/verification`, { decision: 'verified' });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({ status: 'verified', revision: 3, value: 2.5 });
    const noteOnly = await sub.put(url(ind, '2025Q2'), { value: 2.5, note: 'koreksi catatan' });
    expect(noteOnly.json()).toMatchObject({ status: 'verified', revision: 4 });
    const changed = await sub.put(url(ind, '2025Q2'), { value: 3 });
    expect(changed.json()).toMatchObject({ status: 'submitted', revision: 5, value: 3 });
    const history = await revisions(ind, '2025Q2');
    expect(history.map((h: any) => [h.revision, h.value, h.previousValue, h.status])).toEqual([
      [1, 1, null, 'submitted'], [2, 2.5, 1, 'submitted'], [3, 2.5, 2.5, 'verified'], [4, 2.5, 2.5, 'verified'], [5, 3, 2.5, 'submitted'],
    ]);
    expect(history[0].changedBy).toBe(sub.info.clientId);
    expect(history[2].changedBy).toBe(op.info.clientId);
    expect(Date.parse(history[0].changedAt)).not.toBeNaN();
  });

  it('honours If-Match: a stale ETag is 412 and changes nothing', async () => {
    const ind = fx.indicators[3].id;
    const first = await sub.put(url(ind, '2023Q4'), { value: 5 });
    const etag = first.headers.etag as string;
    expect((await sub.put(url(ind, '2023Q4'), { value: 6 }, { 'if-match': etag })).statusCode).toBe(200);
    const stale = await sub.put(url(ind, '2023Q4'), { value: 7 }, { 'if-match': etag });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().type).toBe('/problems/precondition-failed');
    expect((await t.admin.get(url(ind, '2023Q4'))).json().value).toBe(6);
    // If-Match on a measurement that does not exist yet.
    expect((await sub.put(url(ind, '2023Q3'), { value: 1 }, { 'if-match': etag })).statusCode).toBe(412);
  });

  it('validates period and value with errors naming the field', async () => {
    const ind = fx.indicators[0].id;
    for (const p of ['2025Q5', '25Q1', '2025-Q1', '2025q1']) {
      const res = await sub.put(url(ind, p), { value: 1 });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].path).toBe('period');
    }
    const outside = await sub.put(url(ind, '2031Q1'), { value: 1 });
    expect(outside.statusCode).toBe(400);
    expect(outside.json()).toMatchObject({ type: '/problems/validation', errors: [{ path: 'period' }] });
    for (const value of [1.23456, 'abc', '1e3', null, 'Infinity']) {
      const res = await sub.put(url(ind, '2025Q3'), { value });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].path).toBe('value');
    }
    expect((await sub.put(url(ind, '2025Q3'), { value: 1, evidence: [{ title: 'x', url: 'not a url' }] })).statusCode).toBe(400);
    expect((await t.admin.get(url(ind, '2025Q3'))).statusCode).toBe(404);
  });

  it('enforces roles and scope', async () => {
    const ind = fx.indicators[4].id;
    const viewer = await t.as('viewer', fx.agencyId);
    const evaluator = await t.as('evaluator');
    expect((await viewer.put(url(ind, '2025Q1'), { value: 1 })).statusCode).toBe(403);
    expect((await evaluator.put(url(ind, '2025Q1'), { value: 1 })).statusCode).toBe(403);
    const other = await t.agency();
    const otherOp = await t.as('operator', other.id);
    const res = await otherOp.put(url(ind, '2025Q1'), { value: 1 });
    expect(res.statusCode).toBe(404);
    expect(res.json().type).toBe('/problems/not-found');
    await sub.put(url(ind, '2025Q1'), { value: 1 });
    expect((await otherOp.get(url(ind, '2025Q1'))).statusCode).toBe(404);
    expect((await otherOp.get(`/v1/indicators/${ind}/measurements`)).statusCode).toBe(404);
    expect((await viewer.get(url(ind, '2025Q1'))).statusCode).toBe(200);
    expect((await t.admin.put(url('01900000-0000-7000-8000-000000000000', '2025Q1'), { value: 1 })).statusCode).toBe(404);
  });
});

describe('verification', () => {
  it('operators verify and return (with a comment); submitters may not; it is audited', async () => {
    const ind = fx.indicators[5].id;
    await sub.put(url(ind, '2026Q1'), { value: 40 });
    expect((await sub.post(`${url(ind, '2026Q1')}/verification`, { decision: 'verified' })).statusCode).toBe(403);
    const noComment = await op.post(`${url(ind, '2026Q1')}/verification`, { decision: 'returned' });
    expect(noComment.statusCode).toBe(400);
    expect(noComment.json().errors[0].path).toBe('comment');
    const returned = await op.post(`${url(ind, '2026Q1')}/verification`, { decision: 'returned', comment: 'Bukti dukung belum lengkap' });
    expect(returned.statusCode).toBe(200);
    expect(returned.json()).toMatchObject({ status: 'returned', verificationComment: 'Bukti dukung belum lengkap' });
    expect((await op.post(`${url(ind, '2026Q2')}/verification`, { decision: 'verified' })).statusCode).toBe(404);
    const audit = (await t.admin.get(`/v1/audit?entityType=measurement&entityId=${ind}/2026Q1`)).json().data;
    expect(audit.map((a: any) => a.action)).toEqual(['measurement.return', 'measurement.create']);
    expect(audit[0]).toMatchObject({ before: { status: 'submitted' }, after: { status: 'returned' } });
  });
});

describe('lists', () => {
  it('lists an indicator\'s and an agency\'s measurements with filters and a cursor', async () => {
    const parent = await t.agency({ kind: 'regency' });
    const child = await t.agency({ parentId: parent.id });
    const pf = await planFixture(t, parent, { count: 2 });
    const cf = await planFixture(t, child, { count: 1 });
    const periods = ['2025Q1', '2025Q2', '2025Q3', '2025Q4', '2025'];
    for (const p of periods) await t.admin.put(url(pf.indicators[0].id, p), { value: 1 });
    await t.admin.put(url(pf.indicators[1].id, '2025Q1'), { value: 2 });
    await t.admin.put(url(cf.indicators[0].id, '2025Q1'), { value: 3 });
    await t.admin.post(`${url(pf.indicators[0].id, '2025Q2')}/verification`, { decision: 'verified' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.admin.get(`/v1/indicators/${pf.indicators[0].id}/measurements?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().data.map((m: any) => m.period));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(['2025', '2025Q1', '2025Q2', '2025Q3', '2025Q4']);

    const own = (await t.admin.get(`/v1/agencies/${parent.id}/measurements`)).json().data;
    expect(own).toHaveLength(6);
    const all = (await t.admin.get(`/v1/agencies/${parent.id}/measurements?includeDescendants=true&limit=500`)).json().data;
    expect(all).toHaveLength(7);
    const q1 = (await t.admin.get(`/v1/agencies/${parent.id}/measurements?includeDescendants=true&period=2025Q1`)).json().data;
    expect(q1.map((m: any) => m.value).sort()).toEqual([1, 2, 3]);
    const verified = (await t.admin.get(`/v1/agencies/${parent.id}/measurements?status=verified`)).json().data;
    expect(verified.map((m: any) => m.period)).toEqual(['2025Q2']);
    const future = (await t.admin.get(`/v1/agencies/${parent.id}/measurements?updatedSince=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).json().data;
    expect(future).toEqual([]);
    const past = (await t.admin.get(`/v1/agencies/${parent.id}/measurements?updatedSince=2000-01-01T00:00:00Z`)).json().data;
    expect(past).toHaveLength(6);
    const childOp = await t.as('operator', child.id);
    expect((await childOp.get(`/v1/agencies/${parent.id}/measurements`)).statusCode).toBe(404);
    expect((await t.admin.get(`/v1/agencies/${parent.id}/measurements?cursor=nope`)).statusCode).toBe(400);
  });
});
