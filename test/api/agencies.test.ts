import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, uniq, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

describe('agencies', () => {
  it('creates an agency tree and reads it back with an ETag', async () => {
    const prov = await t.agency({ kind: 'province', name: 'Provinsi Jawa Barat' });
    const res = await t.admin.post('/v1/agencies', { code: uniq('KAB'), name: 'Kabupaten Bogor', kind: 'regency', parentId: prov.id });
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe(`/v1/agencies/${res.json().id}`);
    const got = await t.admin.get(`/v1/agencies/${res.json().id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ name: 'Kabupaten Bogor', kind: 'regency', parentId: prov.id });
    expect(got.headers.etag).toMatch(/^"[^"]+"$/);
  });

  it('refuses a duplicate code with 409 and bad input with 400 naming the field', async () => {
    const a = await t.agency();
    const dup = await t.admin.post('/v1/agencies', { code: a.code, name: 'x', kind: 'unit' });
    expect(dup.statusCode).toBe(409);
    expect(dup.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(dup.json().type).toBe('/problems/conflict');

    const bad = await t.admin.post('/v1/agencies', { code: 'OK1', name: 'x', kind: 'village' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().type).toBe('/problems/validation');
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'kind' })]);

    const unknownParent = await t.admin.post('/v1/agencies', { code: uniq('P'), name: 'x', kind: 'unit', parentId: '01900000-0000-7000-8000-000000000000' });
    expect(unknownParent.statusCode).toBe(400);
    expect(unknownParent.json().errors[0].path).toBe('parentId');
  });

  it('honours If-Match on PATCH: stale is 412 and changes nothing', async () => {
    const a = await t.agency({ name: 'Dinas Lama' });
    const etag = (await t.admin.get(`/v1/agencies/${a.id}`)).headers.etag as string;
    const ok = await t.admin.patch(`/v1/agencies/${a.id}`, { name: 'Dinas Baru' }, { 'if-match': etag });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().name).toBe('Dinas Baru');
    const stale = await t.admin.patch(`/v1/agencies/${a.id}`, { name: 'Dinas Ketiga' }, { 'if-match': etag });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().type).toBe('/problems/precondition-failed');
    expect((await t.admin.get(`/v1/agencies/${a.id}`)).json().name).toBe('Dinas Baru');
  });

  it('moves an agency and keeps the scope of its subtree right, refusing cycles', async () => {
    const root1 = await t.agency({ kind: 'regency' });
    const root2 = await t.agency({ kind: 'regency' });
    const dept = await t.agency({ parentId: root1.id });
    const unit = await t.agency({ kind: 'unit', parentId: dept.id });
    const cycle = await t.admin.patch(`/v1/agencies/${root1.id}`, { parentId: unit.id });
    expect(cycle.statusCode).toBe(400);
    const moved = await t.admin.patch(`/v1/agencies/${dept.id}`, { parentId: root2.id });
    expect(moved.statusCode).toBe(200);
    const viewer2 = await t.as('viewer', root2.id);
    expect((await viewer2.get(`/v1/agencies/${unit.id}`)).statusCode).toBe(200);
    const viewer1 = await t.as('viewer', root1.id);
    expect((await viewer1.get(`/v1/agencies/${unit.id}`)).statusCode).toBe(404);
  });

  it('lists with filters and paginates over more than one page', async () => {
    const parent = await t.agency({ kind: 'regency' });
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) codes.push((await t.agency({ parentId: parent.id, name: `Dinas Nomor ${i}` })).code);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.admin.get(`/v1/agencies?parentId=${parent.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      seen.push(...body.data.map((a: any) => a.code));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(codes);
    const q = await t.admin.get(`/v1/agencies?q=${encodeURIComponent('nomor 3')}&parentId=${parent.id}`);
    expect(q.json().data.map((a: any) => a.code)).toEqual([codes[3]]);
    const badCursor = await t.admin.get('/v1/agencies?cursor=garbage');
    expect(badCursor.statusCode).toBe(400);
    const badLimit = await t.admin.get('/v1/agencies?limit=501');
    expect(badLimit.statusCode).toBe(400);
  });

  it('scopes reads: an operator of A gets 404 for B and lists only its subtree', async () => {
    const a = await t.agency({ kind: 'regency' });
    const aChild = await t.agency({ parentId: a.id });
    const b = await t.agency({ kind: 'regency' });
    const op = await t.as('operator', a.id);
    expect((await op.get(`/v1/agencies/${b.id}`)).statusCode).toBe(404);
    expect((await op.get(`/v1/agencies/${aChild.id}`)).statusCode).toBe(200);
    const list = (await op.get('/v1/agencies?limit=500')).json().data.map((x: any) => x.id);
    expect(list.sort()).toEqual([a.id, aChild.id].sort());
    // Only admins manage agencies.
    expect((await op.patch(`/v1/agencies/${a.id}`, { name: 'x' })).statusCode).toBe(403);
    expect((await op.post('/v1/agencies', { code: uniq('Z'), name: 'x', kind: 'unit', parentId: a.id })).statusCode).toBe(403);
  });

  it('audits every write in the audit trail', async () => {
    const a = await t.agency({ name: 'Dinas Audit' });
    await t.admin.patch(`/v1/agencies/${a.id}`, { name: 'Dinas Audit 2' }, { 'x-request-id': 'req-audit-1' });
    const res = await t.admin.get(`/v1/audit?entityType=agency&entityId=${a.id}`);
    expect(res.statusCode).toBe(200);
    const rows = res.json().data;
    expect(rows.map((r: any) => r.action)).toEqual(['agency.update', 'agency.create']);
    expect(rows[0]).toMatchObject({ actor: 'test-admin', requestId: 'req-audit-1', before: { name: 'Dinas Audit' }, after: { name: 'Dinas Audit 2' } });
    const viewer = await t.as('viewer', a.id);
    expect((await viewer.get('/v1/audit')).statusCode).toBe(403);
  });
});
