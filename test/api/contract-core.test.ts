import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ID, ADMIN_SECRET, createTestApp, uniq, type Client, type Json, type TestApp } from '../helpers/app.js';

// One integrator's walk through API.md (Conventions, Auth, Agencies, Plans and elements,
// Indicators and targets, Agreements, Budgets, Measurements, Period locks, Audit, Operations),
// asserting the contract to the letter. The steps share state and run in order.

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const ETAG = /^"[^"]+"$/;
const NOWHERE = '01900000-0000-7000-8000-000000000000';
type Res = { statusCode: number; headers: Record<string, unknown>; body: string; json(): any };

function problem(res: Res, status: number, slug: string) {
  expect({ status: res.statusCode, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const p = res.json();
  expect(p).toMatchObject({ type: `/problems/${slug}`, status, title: expect.any(String), detail: expect.any(String) });
  expect(res.body).not.toMatch(/\bat \w+ \(|\.ts:\d|SELECT |stack/);
  return p;
}
function invalid(res: Res, ...paths: string[]) {
  const p = problem(res, 400, 'validation');
  expect(p.errors).toEqual(expect.arrayContaining(paths.map((path) => ({ path, message: expect.any(String) }))));
  return p;
}
function ok(res: Res, status = 200) {
  expect({ status: res.statusCode, body: status === res.statusCode ? '' : res.body }).toEqual({ status, body: '' });
  return res.json();
}
function page(res: Res) {
  const body = ok(res);
  expect(Object.keys(body).sort()).toEqual(['data', 'nextCursor']);
  expect(Array.isArray(body.data)).toBe(true);
  return body as { data: Json[]; nextCursor: string | null };
}
const etagOf = (res: Res) => {
  expect(res.headers.etag).toMatch(ETAG);
  return res.headers.etag as string;
};

// State of the walk.
let prov: Json; let dinas: Json; let unit: Json; let other: Json;
let op: Client; let opUnit: Client; let opOther: Client; let submitter: Client; let evaluator: Client; let viewer: Client;
let provPlan: Json; let plan: Json; let goal: Json; let provGoal: Json; let objective: Json; let program: Json;
let ind: Json; let ind2: Json; let otherPlan: Json; let otherEl: Json; let otherInd: Json;

describe('contract walk: conventions and auth', () => {
  it('issues tokens by JSON, form and Basic; rejects bad credentials with 401 problems', async () => {
    const json = await t.anonymous.post('/v1/auth/token', { grant_type: 'client_credentials', client_id: ADMIN_ID, client_secret: ADMIN_SECRET });
    const tok = ok(json);
    expect(Object.keys(tok).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(tok).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number) });
    expect(tok.access_token.split('.')).toHaveLength(3);

    const form = await t.anonymous.request({
      method: 'POST', url: '/v1/auth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&client_id=${ADMIN_ID}&client_secret=${ADMIN_SECRET}`,
    });
    expect(ok(form).token_type).toBe('Bearer');
    const basic = await t.anonymous.request({
      method: 'POST', url: '/v1/auth/token',
      headers: { authorization: `Basic ${Buffer.from(`${ADMIN_ID}:${ADMIN_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials',
    });
    expect(ok(basic).token_type).toBe('Bearer');

    problem(await t.anonymous.post('/v1/auth/token', { grant_type: 'client_credentials', client_id: ADMIN_ID, client_secret: 'wrong' }), 401, 'unauthorized');
    problem(await t.anonymous.post('/v1/auth/token', { grant_type: 'password', client_id: ADMIN_ID, client_secret: ADMIN_SECRET }), 400, 'validation');

    const jwks = ok(await t.anonymous.get('/.well-known/jwks.json'));
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const k of jwks.keys) {
      expect(k).toMatchObject({ kid: expect.any(String), kty: expect.any(String) });
      expect(k.d).toBeUndefined();
    }
  });

  it('401 without or with a bad token, x-request-id on every answer', async () => {
    const none = await t.anonymous.get('/v1/agencies', { 'x-request-id': 'sim-jabar-1' });
    problem(none, 401, 'unauthorized');
    expect(none.headers['x-request-id']).toBe('sim-jabar-1');
    problem(await new (t.admin.constructor as typeof Client)(t.app, 'not.a.jwt').get('/v1/agencies'), 401, 'unauthorized');
    const made = await t.admin.get('/v1/agencies');
    expect(made.headers['x-request-id']).toMatch(/\S/);
  });

  it('creates the agency tree, with clients of every role', async () => {
    const created = await t.admin.post('/v1/agencies', { code: uniq('JABAR'), name: 'Provinsi Jawa Barat', kind: 'province' });
    prov = ok(created, 201);
    expect(created.headers.location).toBe(`/v1/agencies/${prov.id}`);
    etagOf(created);
    expect(prov).toMatchObject({ id: expect.stringMatching(UUID), kind: 'province', parentId: null, createdAt: expect.stringMatching(UTC), updatedAt: expect.stringMatching(UTC) });
    dinas = await t.agency({ kind: 'department', name: 'Dinas Kesehatan', parentId: prov.id });
    unit = await t.agency({ kind: 'unit', name: 'UPTD Labkesda', parentId: dinas.id });
    other = await t.agency({ kind: 'regency', name: 'Kabupaten Lain' });

    const c = await t.admin.post('/v1/clients', { name: 'SIM Dinkes', role: 'operator', agencyId: dinas.id });
    const client = ok(c, 201);
    expect(client).toMatchObject({ id: expect.stringMatching(UUID), clientId: expect.any(String), clientSecret: expect.any(String), name: 'SIM Dinkes', role: 'operator', agencyId: dinas.id });
    const listed = page(await t.admin.get('/v1/clients?limit=500'));
    const mine = listed.data.find((x) => x.id === client.id);
    expect(mine).toMatchObject({ clientId: client.clientId, role: 'operator', agencyId: dinas.id });
    expect(mine.clientSecret).toBeUndefined();
    invalid(await t.admin.post('/v1/clients', { name: 'x', role: 'operator' }), 'agencyId');
    invalid(await t.admin.post('/v1/clients', { name: 'x', role: 'superuser', agencyId: dinas.id }), 'role');

    op = await t.as('operator', dinas.id);
    opUnit = await t.as('operator', unit.id);
    opOther = await t.as('operator', other.id);
    submitter = await t.as('submitter', dinas.id);
    evaluator = await t.as('evaluator');
    viewer = await t.as('viewer', dinas.id);
    problem(await op.get('/v1/clients'), 403, 'forbidden');
    problem(await op.post('/v1/clients', { name: 'x', role: 'admin' }), 403, 'forbidden');

    // Revocation: the token stops working, a second revoke is 404.
    const doomed = await t.as('viewer', dinas.id);
    expect((await doomed.get(`/v1/agencies/${dinas.id}`)).statusCode).toBe(200);
    const del = await t.admin.delete(`/v1/clients/${doomed.info.id}`);
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe('');
    problem(await doomed.get(`/v1/agencies/${dinas.id}`), 401, 'unauthorized');
    problem(await t.admin.delete(`/v1/clients/${doomed.info.id}`), 404, 'not-found');
    problem(await op.delete(`/v1/clients/${client.id}`), 403, 'forbidden');
  });
});

describe('contract walk: agencies', () => {
  it('lists with filters, limit and cursor; reads with ETag; PATCH honours If-Match', async () => {
    const kids = page(await t.admin.get(`/v1/agencies?parentId=${prov.id}`));
    expect(kids.data.map((a) => a.id)).toEqual([dinas.id]);
    expect(page(await t.admin.get(`/v1/agencies?code=${dinas.code}`)).data.map((a) => a.id)).toEqual([dinas.id]);
    expect(page(await t.admin.get(`/v1/agencies?kind=unit&q=${encodeURIComponent('labkesda')}`)).data.map((a) => a.id)).toEqual([unit.id]);
    // Scope: the Dinas operator sees the Dinas and its unit only.
    expect(page(await op.get('/v1/agencies?limit=500')).data.map((a) => a.id).sort()).toEqual([dinas.id, unit.id].sort());
    const first = page(await op.get('/v1/agencies?limit=1'));
    expect(first.data).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = page(await op.get(`/v1/agencies?limit=1&cursor=${first.nextCursor}`));
    expect(second.data.map((a) => a.id)).not.toContain(first.data[0].id);
    expect(second.nextCursor).toBeNull();
    invalid(await op.get('/v1/agencies?limit=0'), 'limit');
    invalid(await op.get('/v1/agencies?limit=501'), 'limit');
    invalid(await op.get('/v1/agencies?cursor=garbage'), 'cursor');
    invalid(await t.admin.get('/v1/agencies?kind=village'), 'kind');

    const got = await op.get(`/v1/agencies/${dinas.id}`);
    const etag = etagOf(got);
    expect(ok(got)).toEqual(dinas);
    // An integrator's first tries: a trailing slash and an uppercase UUID.
    expect(ok(await op.get(`/v1/agencies/${dinas.id}/`)).id).toBe(dinas.id);
    expect(ok(await op.get(`/v1/agencies/${dinas.id.toUpperCase()}`)).id).toBe(dinas.id);
    invalid(await op.get('/v1/agencies/not-a-uuid'), 'agencyId');

    problem(await op.get(`/v1/agencies/${other.id}`), 404, 'not-found');
    problem(await op.get(`/v1/agencies/${prov.id}`), 404, 'not-found');
    problem(await op.patch(`/v1/agencies/${dinas.id}`, { name: 'x' }), 403, 'forbidden');

    const patched = await t.admin.patch(`/v1/agencies/${dinas.id}`, { name: 'Dinas Kesehatan Provinsi' }, { 'if-match': etag });
    dinas = ok(patched);
    expect(dinas.name).toBe('Dinas Kesehatan Provinsi');
    expect(etagOf(patched)).not.toBe(etag);
    problem(await t.admin.patch(`/v1/agencies/${dinas.id}`, { name: 'Stale' }, { 'if-match': etag }), 412, 'precondition-failed');
    problem(await t.admin.patch(`/v1/agencies/${dinas.id}`, { code: other.code }), 409, 'conflict');
    invalid(await t.admin.patch(`/v1/agencies/${dinas.id}`, { kind: 'village' }), 'kind');
    problem(await t.admin.get(`/v1/agencies/${NOWHERE}`), 404, 'not-found');
  });

  it('415 for a body that is not JSON, 413 for an oversized one', async () => {
    problem(await t.admin.request({ method: 'POST', url: '/v1/agencies', payload: '<a/>', headers: { 'content-type': 'application/xml' } }), 415, 'unsupported-media-type');
    problem(await t.admin.request({
      method: 'PUT', url: `/v1/agencies/${dinas.id}/agreements/2025`, payload: 'items\n', headers: { 'content-type': 'text/csv' },
    }), 415, 'unsupported-media-type');
    problem(await t.admin.request({
      method: 'POST', url: '/v1/agencies', payload: `code=${uniq('F')}&name=Form&kind=unit`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }), 415, 'unsupported-media-type');
    problem(await t.admin.request({ method: 'PATCH', url: `/v1/agencies/${dinas.id}`, payload: 'name', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported-media-type');
    problem(await t.admin.post('/v1/agencies', { code: uniq('B'), name: 'x'.repeat(2_000_000), kind: 'unit' }), 413, 'payload-too-large');
  });
});

describe('contract walk: plans and elements', () => {
  it('creates plans and reads them back', async () => {
    const pp = await t.admin.post(`/v1/agencies/${prov.id}/plans`, { kind: 'rpjmd', title: 'RPJMD Jawa Barat 2025-2029', startYear: 2025, endYear: 2029 });
    provPlan = ok(pp, 201);
    const created = await op.post(`/v1/agencies/${dinas.id}/plans`, { kind: 'renstra', title: 'Renstra Dinkes 2025-2029', startYear: 2025, endYear: 2029 });
    plan = ok(created, 201);
    expect(created.headers.location).toBe(`/v1/plans/${plan.id}`);
    etagOf(created);
    expect(plan).toMatchObject({ id: expect.stringMatching(UUID), agencyId: dinas.id, kind: 'renstra', startYear: 2025, endYear: 2029, createdAt: expect.stringMatching(UTC) });
    invalid(await op.post(`/v1/agencies/${dinas.id}/plans`, { kind: 'renstra', title: 'x', startYear: 2029, endYear: 2025 }), 'endYear');
    invalid(await op.post(`/v1/agencies/${dinas.id}/plans`, { kind: 'rkpd', title: 'x', startYear: 2025, endYear: 2029 }), 'kind');
    problem(await viewer.post(`/v1/agencies/${dinas.id}/plans`, { kind: 'renstra', title: 'x', startYear: 2025, endYear: 2029 }), 403, 'forbidden');
    problem(await submitter.post(`/v1/agencies/${dinas.id}/plans`, { kind: 'renstra', title: 'x', startYear: 2025, endYear: 2029 }), 403, 'forbidden');
    problem(await opOther.post(`/v1/agencies/${dinas.id}/plans`, { kind: 'renstra', title: 'x', startYear: 2025, endYear: 2029 }), 404, 'not-found');

    expect(page(await viewer.get(`/v1/agencies/${dinas.id}/plans`)).data.map((p) => p.id)).toEqual([plan.id]);
    problem(await opOther.get(`/v1/agencies/${dinas.id}/plans`), 404, 'not-found');
    const got = await viewer.get(`/v1/plans/${plan.id}`);
    expect(ok(got)).toEqual(plan);
    const etag = etagOf(got);
    problem(await opOther.get(`/v1/plans/${plan.id}`), 404, 'not-found');
    problem(await opOther.patch(`/v1/plans/${plan.id}`, { title: 'x' }), 404, 'not-found');
    problem(await viewer.patch(`/v1/plans/${plan.id}`, { title: 'x' }), 403, 'forbidden');
    plan = ok(await op.patch(`/v1/plans/${plan.id}`, { title: 'Renstra Dinas Kesehatan 2025-2029' }, { 'if-match': etag }));
    problem(await op.patch(`/v1/plans/${plan.id}`, { title: 'stale' }, { 'if-match': etag }), 412, 'precondition-failed');
    problem(await op.get(`/v1/plans/${NOWHERE}`), 404, 'not-found');

    otherPlan = ok(await opOther.post(`/v1/agencies/${other.id}/plans`, { kind: 'rpjmd', title: 'RPJMD', startYear: 2025, endYear: 2029 }), 201);
  });

  it('builds the performance tree with cascading and answers the documented shapes', async () => {
    provGoal = ok(await t.admin.post(`/v1/plans/${provPlan.id}/elements`, { level: 'goal', code: 'T.1', title: 'Meningkatnya derajat kesehatan' }), 201);
    const created = await op.post(`/v1/plans/${plan.id}/elements`, { level: 'goal', code: 'T.1', title: 'Meningkatnya kualitas layanan kesehatan', supports: [provGoal.id] });
    goal = ok(created, 201);
    expect(created.headers.location).toBe(`/v1/elements/${goal.id}`);
    etagOf(created);
    expect(goal).toMatchObject({ id: expect.stringMatching(UUID), planId: plan.id, parentId: null, level: 'goal', code: 'T.1', title: expect.any(String), supports: [provGoal.id] });
    objective = ok(await op.post(`/v1/plans/${plan.id}/elements`, { parentId: goal.id, level: 'objective', code: 'S.1', title: 'Meningkatnya cakupan imunisasi' }), 201);
    program = ok(await op.post(`/v1/plans/${plan.id}/elements`, { parentId: objective.id, level: 'program', code: 'P.1', title: 'Program pencegahan penyakit' }), 201);
    expect(objective.parentId).toBe(goal.id);

    invalid(await op.post(`/v1/plans/${plan.id}/elements`, { parentId: program.id, level: 'objective', code: 'S.9', title: 'x' }), 'level');
    invalid(await op.post(`/v1/plans/${plan.id}/elements`, { level: 'mission', code: 'M.1', title: 'x' }), 'level');
    // supports names only elements of an ancestor agency's plans.
    invalid(await op.post(`/v1/plans/${plan.id}/elements`, { level: 'goal', code: 'T.2', title: 'x', supports: [goal.id] }), 'supports.0');
    problem(await op.post(`/v1/plans/${plan.id}/elements`, { level: 'goal', code: 'T.1', title: 'dup' }), 409, 'conflict');
    problem(await opOther.post(`/v1/plans/${plan.id}/elements`, { level: 'goal', code: 'T.9', title: 'x' }), 404, 'not-found');
    problem(await viewer.post(`/v1/plans/${plan.id}/elements`, { level: 'goal', code: 'T.9', title: 'x' }), 403, 'forbidden');

    const el = await viewer.get(`/v1/elements/${objective.id}`);
    expect(ok(el)).toEqual(objective);
    const etag = etagOf(el);
    problem(await opOther.get(`/v1/elements/${objective.id}`), 404, 'not-found');
    problem(await opOther.patch(`/v1/elements/${objective.id}`, { title: 'x' }), 404, 'not-found');
    problem(await opOther.delete(`/v1/elements/${objective.id}`), 404, 'not-found');
    objective = ok(await op.patch(`/v1/elements/${objective.id}`, { title: 'Meningkatnya cakupan imunisasi dasar lengkap' }, { 'if-match': etag }));
    problem(await op.patch(`/v1/elements/${objective.id}`, { title: 'stale' }, { 'if-match': etag }), 412, 'precondition-failed');
    invalid(await op.patch(`/v1/elements/${objective.id}`, { level: 'activity' }), 'level');

    // DELETE: 204, stale If-Match 412, the element is gone.
    const tmp = ok(await op.post(`/v1/plans/${plan.id}/elements`, { parentId: objective.id, level: 'program', code: 'P.9', title: 'Sementara' }), 201);
    const tmpEtag = etagOf(await op.get(`/v1/elements/${tmp.id}`));
    problem(await op.delete(`/v1/elements/${tmp.id}`, { 'if-match': '"nope"' }), 412, 'precondition-failed');
    problem(await viewer.delete(`/v1/elements/${tmp.id}`), 403, 'forbidden');
    const del = await op.delete(`/v1/elements/${tmp.id}`, { 'if-match': tmpEtag });
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe('');
    problem(await op.get(`/v1/elements/${tmp.id}`), 404, 'not-found');

    otherEl = ok(await opOther.post(`/v1/plans/${otherPlan.id}/elements`, { level: 'objective', code: 'S.1', title: 'x' }), 201);
  });
});

describe('contract walk: indicators and targets', () => {
  it('creates indicators and lists them with type, isKey and updatedSince', async () => {
    const body = {
      code: 'IKU.1', name: 'Cakupan imunisasi dasar lengkap', type: 'outcome', unit: '%', polarity: 'higher_is_better',
      aggregation: 'last', isKey: true, baseline: { year: 2024, value: 12.3456 }, definition: 'Bayi yang mendapat imunisasi dasar lengkap', dataSource: 'SIM Imunisasi',
    };
    const created = await op.post(`/v1/elements/${objective.id}/indicators`, body);
    ind = ok(created, 201);
    expect(created.headers.location).toBe(`/v1/indicators/${ind.id}`);
    etagOf(created);
    expect(ind).toMatchObject({ ...body, id: expect.stringMatching(UUID), elementId: objective.id, agencyId: dinas.id, createdAt: expect.stringMatching(UTC), updatedAt: expect.stringMatching(UTC) });
    expect(ind.baseline).toEqual({ year: 2024, value: 12.3456 });
    ind2 = ok(await op.post(`/v1/elements/${program.id}/indicators`, {
      code: 'IK.2', name: 'Jumlah puskesmas terakreditasi', type: 'output', unit: 'unit', polarity: 'higher_is_better', aggregation: 'sum',
    }), 201);
    expect(ind2).toMatchObject({ isKey: false, baseline: null, definition: null, dataSource: null });
    otherInd = ok(await opOther.post(`/v1/elements/${otherEl.id}/indicators`, {
      code: 'IKU.1', name: 'Same code, other agency', type: 'impact', unit: 'indeks', polarity: 'lower_is_better', aggregation: 'average',
    }), 201);

    problem(await op.post(`/v1/elements/${program.id}/indicators`, { ...body, isKey: false }), 409, 'conflict');
    invalid(await op.post(`/v1/elements/${program.id}/indicators`, { ...body, code: 'X.1', type: 'result', polarity: 'up' }), 'type', 'polarity');
    invalid(await op.post(`/v1/elements/${program.id}/indicators`, { ...body, code: 'X.1', baseline: { year: 2024, value: 1.23456 } }), 'baseline.value');
    problem(await opOther.post(`/v1/elements/${program.id}/indicators`, { ...body, code: 'X.1' }), 404, 'not-found');
    problem(await submitter.post(`/v1/elements/${program.id}/indicators`, { ...body, code: 'X.1' }), 403, 'forbidden');

    const all = page(await viewer.get(`/v1/agencies/${dinas.id}/indicators`));
    expect(all.data.map((i) => i.id)).toEqual([ind.id, ind2.id]);
    expect(page(await viewer.get(`/v1/agencies/${dinas.id}/indicators?isKey=true`)).data.map((i) => i.id)).toEqual([ind.id]);
    expect(page(await viewer.get(`/v1/agencies/${dinas.id}/indicators?type=output`)).data.map((i) => i.id)).toEqual([ind2.id]);
    const p1 = page(await viewer.get(`/v1/agencies/${dinas.id}/indicators?limit=1`));
    expect(page(await viewer.get(`/v1/agencies/${dinas.id}/indicators?limit=1&cursor=${p1.nextCursor}`)).data.map((i) => i.id)).toEqual([ind2.id]);
    const since = ind2.updatedAt;
    expect(page(await viewer.get(`/v1/agencies/${dinas.id}/indicators?updatedSince=${since}`)).data.map((i) => i.id)).toEqual([ind2.id]);
    expect(page(await viewer.get(`/v1/agencies/${dinas.id}/indicators?updatedSince=${encodeURIComponent('2100-01-01T00:00:00+07:00')}`)).data).toEqual([]);
    invalid(await viewer.get(`/v1/agencies/${dinas.id}/indicators?updatedSince=yesterday`), 'updatedSince');
    invalid(await viewer.get(`/v1/agencies/${dinas.id}/indicators?isKey=yes`), 'isKey');
    problem(await opOther.get(`/v1/agencies/${dinas.id}/indicators`), 404, 'not-found');

    const got = await viewer.get(`/v1/indicators/${ind.id}`);
    expect(ok(got)).toEqual(ind);
    const etag = etagOf(got);
    problem(await opOther.get(`/v1/indicators/${ind.id}`), 404, 'not-found');
    problem(await opOther.patch(`/v1/indicators/${ind.id}`, { name: 'x' }), 404, 'not-found');
    ind = ok(await op.patch(`/v1/indicators/${ind.id}`, { unit: 'persen' }, { 'if-match': etag }));
    expect(ind.unit).toBe('persen');
    problem(await op.patch(`/v1/indicators/${ind.id}`, { unit: '%' }, { 'if-match': etag }), 412, 'precondition-failed');
    // The PATCH moved it past ind2 in the sync order of updatedSince.
    expect(page(await viewer.get(`/v1/agencies/${dinas.id}/indicators?updatedSince=${ind.updatedAt}`)).data.map((i) => i.id)).toEqual([ind.id]);
  });

  it('PUTs targets (201 then 200), lists them, and imports them in a batch', async () => {
    const put = await op.put(`/v1/indicators/${ind.id}/targets/2025`, { value: 12.3456 });
    const target = ok(put, 201);
    etagOf(put);
    expect(target).toMatchObject({ indicatorId: ind.id, period: '2025', value: 12.3456, updatedAt: expect.stringMatching(UTC) });
    const etag = put.headers.etag as string;
    const again = await op.put(`/v1/indicators/${ind.id}/targets/2025`, { value: 95 }, { 'if-match': etag });
    expect(ok(again).value).toBe(95);
    problem(await op.put(`/v1/indicators/${ind.id}/targets/2025`, { value: 96 }, { 'if-match': etag }), 412, 'precondition-failed');
    ok(await op.put(`/v1/indicators/${ind.id}/targets/2025Q1`, { value: 20 }), 201);
    invalid(await op.put(`/v1/indicators/${ind.id}/targets/2025q1`, { value: 1 }), 'period');
    invalid(await op.put(`/v1/indicators/${ind.id}/targets/2025-Q1`, { value: 1 }), 'period');
    invalid(await op.put(`/v1/indicators/${ind.id}/targets/2031`, { value: 1 }), 'period');
    invalid(await op.put(`/v1/indicators/${ind.id}/targets/2025`, { value: '95' }), 'value');
    invalid(await op.put(`/v1/indicators/${ind.id}/targets/2025`, { value: 1.00001 }), 'value');
    problem(await submitter.put(`/v1/indicators/${ind.id}/targets/2025`, { value: 1 }), 403, 'forbidden');
    problem(await opOther.put(`/v1/indicators/${ind.id}/targets/2025`, { value: 1 }), 404, 'not-found');

    const list = page(await viewer.get(`/v1/indicators/${ind.id}/targets`));
    expect(list.data.map((x) => [x.period, x.value])).toEqual([['2025', 95], ['2025Q1', 20]]);
    const first = page(await viewer.get(`/v1/indicators/${ind.id}/targets?limit=1`));
    expect(first.data.map((x) => x.period)).toEqual(['2025']);
    expect(page(await viewer.get(`/v1/indicators/${ind.id}/targets?limit=1&cursor=${first.nextCursor}`)).data.map((x) => x.period)).toEqual(['2025Q1']);
    invalid(await viewer.get(`/v1/indicators/${ind.id}/targets?limit=0`), 'limit');
    problem(await opOther.get(`/v1/indicators/${ind.id}/targets`), 404, 'not-found');
    // One target, the way an integrator reads it before an If-Match write.
    const one = await viewer.get(`/v1/indicators/${ind.id}/targets/2025Q1`);
    expect(ok(one)).toMatchObject({ indicatorId: ind.id, period: '2025Q1', value: 20 });
    ok(await op.put(`/v1/indicators/${ind.id}/targets/2025Q1`, { value: 20 }, { 'if-match': etagOf(one) }));
    problem(await viewer.get(`/v1/indicators/${ind.id}/targets/2026`), 404, 'not-found');
    problem(await opOther.get(`/v1/indicators/${ind.id}/targets/2025`), 404, 'not-found');

    const batch = await op.post('/v1/targets/batch', { items: [
      { agencyCode: dinas.code, indicatorCode: 'IK.2', period: '2025', value: 10 },
      { indicatorId: ind.id, period: '2026', value: 96.5 },
      { agencyCode: other.code, indicatorCode: 'IKU.1', period: '2025', value: 1 },
      { indicatorId: ind.id, period: '2025Q5', value: 1 },
    ] });
    const b = ok(batch);
    expect(b.summary).toEqual({ received: 4, created: 2, updated: 0, unchanged: 0, rejected: 2 });
    expect(b.results[0]).toEqual({ row: 1, status: 'created', indicatorId: ind2.id, period: '2025' });
    expect(b.results[2]).toMatchObject({ row: 3, status: 'rejected', error: expect.any(String) });
    expect(b.results[3]).toMatchObject({ row: 4, status: 'rejected', period: '2025Q5', error: expect.any(String) });
    const csv = await op.request({
      method: 'POST', url: '/v1/targets/batch', headers: { 'content-type': 'text/csv' },
      payload: `agency_code,indicator_code,period,value\n${dinas.code},IK.2,2025,10\n${dinas.code},IK.2,2026,12.3456\n`,
    });
    expect(ok(csv).summary).toEqual({ received: 2, created: 1, updated: 0, unchanged: 1, rejected: 0 });
    expect(page(await op.get(`/v1/indicators/${ind2.id}/targets`)).data.map((x) => x.value)).toEqual([10, 12.3456]);
    invalid(await op.request({ method: 'POST', url: '/v1/targets/batch', headers: { 'content-type': 'text/csv' }, payload: 'a,b\n1,2\n' }), 'header');
    problem(await viewer.post('/v1/targets/batch', { items: [] }), 403, 'forbidden');
  });
});

describe('contract walk: budgets and agreements', () => {
  it('PUTs a budget (201 then 200) with exact decimals and If-Match', async () => {
    const put = await op.put(`/v1/elements/${program.id}/budgets/2025`, { allocated: 1500000000.5, realized: 1234567.1234 });
    const b = ok(put, 201);
    expect(b).toMatchObject({ elementId: program.id, year: 2025, allocated: 1500000000.5, realized: 1234567.1234, updatedAt: expect.stringMatching(UTC) });
    const etag = etagOf(put);
    expect(ok(await op.put(`/v1/elements/${program.id}/budgets/2025`, { allocated: 1500000000.5, realized: 2000000 }, { 'if-match': etag })).realized).toBe(2000000);
    problem(await op.put(`/v1/elements/${program.id}/budgets/2025`, { allocated: 1, realized: 1 }, { 'if-match': etag }), 412, 'precondition-failed');
    invalid(await op.put(`/v1/elements/${program.id}/budgets/2025`, { allocated: -1, realized: 0 }), 'allocated');
    invalid(await op.put(`/v1/elements/${program.id}/budgets/2031`, { allocated: 1, realized: 0 }), 'year');
    invalid(await op.put(`/v1/elements/${program.id}/budgets/25`, { allocated: 1, realized: 0 }), 'year');
    problem(await opOther.put(`/v1/elements/${program.id}/budgets/2025`, { allocated: 1, realized: 0 }), 404, 'not-found');
    problem(await submitter.put(`/v1/elements/${program.id}/budgets/2025`, { allocated: 1, realized: 0 }), 403, 'forbidden');
    const list = page(await viewer.get(`/v1/elements/${program.id}/budgets`));
    expect(list.data.map((x) => [x.year, x.allocated, x.realized])).toEqual([[2025, 1500000000.5, 2000000]]);
    problem(await opOther.get(`/v1/elements/${program.id}/budgets`), 404, 'not-found');
    const one = await viewer.get(`/v1/elements/${program.id}/budgets/2025`);
    expect(ok(one)).toMatchObject({ elementId: program.id, year: 2025, allocated: 1500000000.5 });
    etagOf(one);
    problem(await viewer.get(`/v1/elements/${program.id}/budgets/2026`), 404, 'not-found');
  });

  it('drafts, replaces, signs and revises the Perjanjian Kinerja', async () => {
    const url = `/v1/agencies/${dinas.id}/agreements/2025`;
    problem(await viewer.get(url), 404, 'not-found');
    problem(await op.post(`${url}/sign`, { signedBy: 'Kepala Dinas' }), 409, 'conflict');
    const first = await op.put(url, { items: [{ indicatorId: ind.id, target: 95.5 }], budget: [{ elementId: program.id, amount: 1500000000.5 }] });
    const v1 = ok(first, 201);
    etagOf(first);
    expect(v1).toMatchObject({
      agencyId: dinas.id, year: 2025, version: 1, status: 'draft', signedBy: null, signedAt: null,
      items: [{ indicatorId: ind.id, target: 95.5 }], budget: [{ elementId: program.id, amount: 1500000000.5 }],
    });
    // Natural keys work wherever an indicator is named.
    const replaced = await op.put(url, { items: [{ agencyCode: dinas.code, indicatorCode: 'IKU.1', target: 96.1234 }, { indicatorId: ind2.id, target: 10 }] }, { 'if-match': first.headers.etag as string });
    const v1b = ok(replaced);
    expect(v1b).toMatchObject({ version: 1, status: 'draft', budget: [] });
    expect([...v1b.items].sort((a: Json, b: Json) => a.target - b.target)).toEqual([{ indicatorId: ind2.id, target: 10 }, { indicatorId: ind.id, target: 96.1234 }]);
    problem(await op.put(url, { items: [] }, { 'if-match': first.headers.etag as string }), 412, 'precondition-failed');
    invalid(await op.put(url, { items: [{ indicatorId: otherInd.id, target: 1 }] }), 'items.0.indicatorId');
    invalid(await op.put(url, { items: [{ agencyCode: other.code, indicatorCode: 'IKU.1', target: 1 }] }), 'items.0.indicatorId');
    invalid(await op.put(url, { items: [{ agencyCode: dinas.code, indicatorCode: 'NOPE', target: 1 }] }), 'items.0.indicatorCode');
    invalid(await op.put(url, { items: [{ target: 1 }] }), 'items.0.indicatorId');
    // Uppercase ids name the same indicator and element.
    const upper = ok(await op.put(url, { items: [{ indicatorId: ind.id.toUpperCase(), target: 1 }], budget: [{ elementId: program.id.toUpperCase(), amount: 2 }] }));
    expect(upper).toMatchObject({ version: 1, items: [{ indicatorId: ind.id, target: 1 }], budget: [{ elementId: program.id, amount: 2 }] });
    ok(await op.put(url, { items: [{ agencyCode: dinas.code, indicatorCode: 'IKU.1', target: 96.1234 }, { indicatorId: ind2.id, target: 10 }] }));
    invalid(await op.put(url, { items: [{ indicatorId: ind.id, target: '1' }] }), 'items.0.target');
    problem(await opOther.put(url, { items: [] }), 404, 'not-found');
    problem(await submitter.put(url, { items: [] }), 403, 'forbidden');
    problem(await opOther.get(url), 404, 'not-found');
    problem(await opOther.post(`${url}/sign`, { signedBy: 'x' }), 404, 'not-found');
    invalid(await op.post(`${url}/sign`, {}), 'signedBy');

    const signed = ok(await op.post(`${url}/sign`, { signedBy: 'dr. Siti, Kepala Dinas' }));
    expect(signed).toMatchObject({ version: 1, status: 'signed', signedBy: 'dr. Siti, Kepala Dinas', signedAt: expect.stringMatching(UTC) });
    problem(await op.post(`${url}/sign`, { signedBy: 'again' }), 409, 'conflict');
    const v2 = ok(await op.put(url, { items: [{ indicatorId: ind.id, target: 97 }] }), 201);
    expect(v2).toMatchObject({ version: 2, status: 'draft' });
    const current = await viewer.get(url);
    expect(ok(current)).toEqual(v2);
    etagOf(current);
    const versions = page(await viewer.get(`${url}/versions`));
    expect(versions.data.map((v) => [v.version, v.status])).toEqual([[1, 'signed'], [2, 'draft']]);
    expect(page(await viewer.get(`${url}/versions?limit=1`)).data).toHaveLength(1);
    problem(await opOther.get(`${url}/versions`), 404, 'not-found');
    invalid(await viewer.get(`/v1/agencies/${dinas.id}/agreements/25`), 'year');
  });
});

let mEtag: string;
describe('contract walk: measurements', () => {
  it('PUT answers 201 then 200 with the documented fields; a changed value is submitted again', async () => {
    const url = `/v1/indicators/${ind.id}/measurements/2025Q1`;
    const created = await submitter.put(url, { value: 12.3456, note: 'Data Januari-Maret', evidence: [{ title: 'Rekap', url: 'https://sim.example.go.id/rekap.pdf' }] });
    const m = ok(created, 201);
    expect(m).toMatchObject({
      indicatorId: ind.id, period: '2025Q1', value: 12.3456, note: 'Data Januari-Maret',
      evidence: [{ title: 'Rekap', url: 'https://sim.example.go.id/rekap.pdf' }], status: 'submitted', revision: 1,
      updatedAt: expect.stringMatching(UTC), updatedBy: expect.any(String),
    });
    mEtag = etagOf(created);
    const got = await viewer.get(url);
    expect(ok(got)).toEqual(m);
    expect(got.headers.etag).toBe(mEtag);

    const verified = ok(await op.post(`${url}/verification`, { decision: 'verified' }));
    expect(verified).toMatchObject({ status: 'verified', revision: 2 });
    problem(await submitter.post(`${url}/verification`, { decision: 'verified' }), 403, 'forbidden');
    problem(await evaluator.post(`${url}/verification`, { decision: 'verified' }), 403, 'forbidden');
    invalid(await op.post(`${url}/verification`, { decision: 'returned' }), 'comment');
    invalid(await op.post(`${url}/verification`, { decision: 'approved' }), 'decision');
    problem(await opOther.post(`${url}/verification`, { decision: 'verified' }), 404, 'not-found');
    problem(await op.post(`/v1/indicators/${ind.id}/measurements/2025Q4/verification`, { decision: 'verified' }), 404, 'not-found');

    problem(await submitter.put(url, { value: 13 }, { 'if-match': mEtag }), 412, 'precondition-failed');
    const updated = await submitter.put(url, { value: 13 }, { 'if-match': (await viewer.get(url)).headers.etag as string });
    expect(ok(updated)).toMatchObject({ value: 13, status: 'submitted', revision: 3, note: null, evidence: [] });
    const returned = ok(await op.post(`${url}/verification`, { decision: 'returned', comment: 'Lampirkan bukti' }));
    expect(returned).toMatchObject({ status: 'returned', revision: 4 });

    const hist = ok(await viewer.get(`${url}/history`));
    expect(Object.keys(hist)).toEqual(['data']);
    expect(hist.data.map((r: Json) => [r.revision, r.value, r.previousValue, r.status])).toEqual([
      [1, 12.3456, null, 'submitted'], [2, 12.3456, 12.3456, 'verified'], [3, 13, 12.3456, 'submitted'], [4, 13, 13, 'returned'],
    ]);
    for (const r of hist.data) expect(r).toMatchObject({ changedAt: expect.stringMatching(UTC), changedBy: expect.any(String) });
    problem(await viewer.get(`/v1/indicators/${ind.id}/measurements/2025Q3/history`), 404, 'not-found');
    problem(await opOther.get(`${url}/history`), 404, 'not-found');

    invalid(await submitter.put(`/v1/indicators/${ind.id}/measurements/2025q2`, { value: 1 }), 'period');
    invalid(await submitter.put(`/v1/indicators/${ind.id}/measurements/2024Q4`, { value: 1 }), 'period');
    invalid(await submitter.put(`/v1/indicators/${ind.id}/measurements/2025Q2`, { value: 1.23456 }), 'value');
    invalid(await submitter.put(`/v1/indicators/${ind.id}/measurements/2025Q2`, { value: 1, evidence: [{ title: 'x', url: 'not a url' }] }), 'evidence.0.url');
    problem(await viewer.put(`/v1/indicators/${ind.id}/measurements/2025Q2`, { value: 1 }), 403, 'forbidden');
    problem(await evaluator.put(`/v1/indicators/${ind.id}/measurements/2025Q2`, { value: 1 }), 403, 'forbidden');
    problem(await opOther.put(`/v1/indicators/${ind.id}/measurements/2025Q2`, { value: 1 }), 404, 'not-found');
    problem(await opOther.get(url), 404, 'not-found');
    problem(await viewer.get(`/v1/indicators/${ind.id}/measurements/2025Q2`), 404, 'not-found');
    problem(await submitter.put(`/v1/indicators/${NOWHERE}/measurements/2025Q2`, { value: 1 }), 404, 'not-found');
    // An uppercase id names the same indicator, and is recorded in its canonical lowercase form.
    expect(ok(await viewer.get(`/v1/indicators/${ind.id.toUpperCase()}/measurements/2025Q1`)).indicatorId).toBe(ind.id);
    ok(await submitter.put(`/v1/indicators/${ind2.id.toUpperCase()}/measurements/2025Q4`, { value: 2 }), 201);
    expect(page(await t.admin.get(`/v1/audit?entityType=measurement&entityId=${ind2.id}/2025Q4`)).data.map((a) => a.action)).toEqual(['measurement.create']);
  });

  it('lists by indicator and by agency with period, status, updatedSince, includeDescendants and cursors', async () => {
    ok(await submitter.put(`/v1/indicators/${ind.id}/measurements/2025Q2`, { value: 50 }), 201);
    const unitPlan = ok(await opUnit.post(`/v1/agencies/${unit.id}/plans`, { kind: 'renstra', title: 'Renstra UPTD', startYear: 2025, endYear: 2029 }), 201);
    const unitEl = ok(await opUnit.post(`/v1/plans/${unitPlan.id}/elements`, { level: 'objective', code: 'S.1', title: 'x', supports: [objective.id] }), 201);
    expect(unitEl.supports).toEqual([objective.id]);
    const unitInd = ok(await opUnit.post(`/v1/elements/${unitEl.id}/indicators`, { code: 'U.1', name: 'x', type: 'output', unit: 'sampel', polarity: 'higher_is_better', aggregation: 'sum' }), 201);
    const unitM = ok(await op.put(`/v1/indicators/${unitInd.id}/measurements/2025Q1`, { value: 7 }), 201);
    problem(await opUnit.put(`/v1/indicators/${ind.id}/measurements/2025Q3`, { value: 1 }), 404, 'not-found');

    const byInd = page(await viewer.get(`/v1/indicators/${ind.id}/measurements`));
    expect(byInd.data.map((m) => [m.period, m.value, m.status])).toEqual([['2025Q1', 13, 'returned'], ['2025Q2', 50, 'submitted']]);
    expect(page(await viewer.get(`/v1/indicators/${ind.id}/measurements?status=returned`)).data.map((m) => m.period)).toEqual(['2025Q1']);
    const first = page(await viewer.get(`/v1/indicators/${ind.id}/measurements?limit=1`));
    expect(page(await viewer.get(`/v1/indicators/${ind.id}/measurements?limit=1&cursor=${first.nextCursor}`)).data.map((m) => m.period)).toEqual(['2025Q2']);
    problem(await opOther.get(`/v1/indicators/${ind.id}/measurements`), 404, 'not-found');

    const agency = page(await viewer.get(`/v1/agencies/${dinas.id}/measurements?limit=500`));
    expect(agency.data.map((m) => `${m.indicatorId}/${m.period}`).sort()).toEqual([`${ind.id}/2025Q1`, `${ind.id}/2025Q2`, `${ind2.id}/2025Q4`].sort());
    const deep = page(await viewer.get(`/v1/agencies/${dinas.id}/measurements?includeDescendants=true&period=2025Q1`));
    expect(deep.data.map((m) => m.indicatorId).sort()).toEqual([ind.id, unitInd.id].sort());
    expect(page(await viewer.get(`/v1/agencies/${dinas.id}/measurements?updatedSince=${unitM.updatedAt}&includeDescendants=true`)).data.map((m) => m.indicatorId)).toEqual([unitInd.id]);
    invalid(await viewer.get(`/v1/agencies/${dinas.id}/measurements?status=draft`), 'status');
    invalid(await viewer.get(`/v1/agencies/${dinas.id}/measurements?period=2025q1`), 'period');
    invalid(await viewer.get(`/v1/agencies/${dinas.id}/measurements?updatedSince=2025-13-01`), 'updatedSince');
    problem(await opOther.get(`/v1/agencies/${dinas.id}/measurements`), 404, 'not-found');
    problem(await opUnit.get(`/v1/agencies/${dinas.id}/measurements`), 404, 'not-found');
  });

  it('imports a batch by JSON and CSV with dryRun, atomic, Idempotency-Key, 413 and 415', async () => {
    const items = [
      { agencyCode: dinas.code, indicatorCode: 'IK.2', period: '2025Q1', value: 3, note: 'Triwulan I' },
      { indicatorId: ind.id, period: '2025Q2', value: 50 },
      { agencyCode: other.code, indicatorCode: 'IKU.1', period: '2025Q1', value: 1 },
      { indicatorId: ind.id, period: '2025-Q3', value: 1 },
    ];
    const dry = ok(await submitter.post('/v1/measurements/batch?dryRun=true', { items }));
    expect(dry.summary).toEqual({ received: 4, created: 1, updated: 0, unchanged: 1, rejected: 2 });
    problem(await viewer.get(`/v1/indicators/${ind2.id}/measurements/2025Q1`), 404, 'not-found');
    const atomic = ok(await submitter.post('/v1/measurements/batch?atomic=true', { items }));
    expect(atomic.summary.rejected).toBe(2);
    problem(await viewer.get(`/v1/indicators/${ind2.id}/measurements/2025Q1`), 404, 'not-found');

    const key = { 'idempotency-key': uniq('batch') };
    const res = await submitter.post('/v1/measurements/batch', { items }, key);
    const body = ok(res);
    expect(body.summary).toEqual({ received: 4, created: 1, updated: 0, unchanged: 1, rejected: 2 });
    expect(body.results).toEqual([
      { row: 1, status: 'created', indicatorId: ind2.id, period: '2025Q1' },
      { row: 2, status: 'unchanged', indicatorId: ind.id, period: '2025Q2' },
      { row: 3, status: 'rejected', period: '2025Q1', error: expect.any(String) },
      { row: 4, status: 'rejected', period: '2025-Q3', error: expect.any(String) },
    ]);
    const replay = await submitter.post('/v1/measurements/batch', { items }, key);
    expect(replay.statusCode).toBe(200);
    expect(replay.body).toBe(res.body);
    problem(await submitter.post('/v1/measurements/batch', { items: items.slice(0, 1) }, key), 422, 'idempotency-key-reuse');
    expect(ok(await viewer.get(`/v1/indicators/${ind2.id}/measurements/2025Q1/history`)).data).toHaveLength(1);

    const csv = await submitter.request({
      method: 'POST', url: '/v1/measurements/batch', headers: { 'content-type': 'text/csv' },
      payload: `agency_code,indicator_code,period,value,note\n${dinas.code},IK.2,2025Q1,4.5,"Revisi, final"\n${dinas.code},NOPE,2025Q1,1,\n`,
    });
    const c = ok(csv);
    expect(c.summary).toEqual({ received: 2, created: 0, updated: 1, unchanged: 0, rejected: 1 });
    expect(c.results[1]).toMatchObject({ row: 2, status: 'rejected', period: '2025Q1' });
    expect(ok(await viewer.get(`/v1/indicators/${ind2.id}/measurements/2025Q1`))).toMatchObject({ value: 4.5, note: 'Revisi, final' });

    // A wrong header is a 400 naming it, whatever the records below look like (was a 500).
    invalid(await submitter.request({ method: 'POST', url: '/v1/measurements/batch', headers: { 'content-type': 'text/csv' }, payload: 'kode,nilai\nA,1\n' }), 'header');
    invalid(await submitter.request({ method: 'POST', url: '/v1/measurements/batch', headers: { 'content-type': 'text/csv' }, payload: 'kode,nilai\rA,1\r' }), 'header');
    problem(await submitter.request({ method: 'POST', url: '/v1/measurements/batch', headers: { 'content-type': 'application/json' }, payload: '{"items": [' }), 400, 'validation');
    problem(await submitter.request({ method: 'POST', url: '/v1/measurements/batch', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' }), 415, 'unsupported-media-type');
    const huge = Array.from({ length: 50_001 }, () => ({ indicatorId: ind.id, period: '2025Q2', value: 1 }));
    problem(await submitter.post('/v1/measurements/batch', { items: huge }), 413, 'payload-too-large');
    problem(await viewer.post('/v1/measurements/batch', { items: [] }), 403, 'forbidden');
  });

  it('refuses DELETE of an element with measurements below (409)', async () => {
    problem(await op.delete(`/v1/elements/${objective.id}`), 409, 'conflict');
    expect(ok(await op.get(`/v1/elements/${objective.id}`)).id).toBe(objective.id);
  });
});

describe('contract walk: period locks', () => {
  it('locks (201, then 200), refuses writes with 409 period-locked, unlocks (admin only)', async () => {
    const doomed = ok(await op.post(`/v1/plans/${plan.id}/elements`, { parentId: objective.id, level: 'program', code: 'P.3', title: 'Program dengan pagu' }), 201);
    ok(await op.put(`/v1/elements/${doomed.id}/budgets/2025`, { allocated: 100, realized: 0 }), 201);
    const lock = await op.put(`/v1/agencies/${dinas.id}/locks/2025`, { reason: 'LKjIP 2025 disusun' });
    expect(ok(lock, 201)).toMatchObject({ agencyId: dinas.id, period: '2025', reason: 'LKjIP 2025 disusun', lockedBy: expect.any(String), lockedAt: expect.stringMatching(UTC) });
    etagOf(lock);
    ok(await op.put(`/v1/agencies/${dinas.id}/locks/2025`, {}), 200);
    ok(await op.put(`/v1/agencies/${dinas.id}/locks/2026Q1`), 201);
    invalid(await op.put(`/v1/agencies/${dinas.id}/locks/2026q1`, {}), 'period');
    invalid(await op.put(`/v1/agencies/${dinas.id}/locks/2026Q5`, {}), 'period');
    problem(await viewer.put(`/v1/agencies/${dinas.id}/locks/2027`, {}), 403, 'forbidden');
    problem(await submitter.put(`/v1/agencies/${dinas.id}/locks/2027`, {}), 403, 'forbidden');
    problem(await opOther.put(`/v1/agencies/${dinas.id}/locks/2027`, {}), 404, 'not-found');

    const list = page(await viewer.get(`/v1/agencies/${dinas.id}/locks`));
    expect(list.data.map((l) => l.period)).toEqual(['2025', '2026Q1']);
    const one = page(await viewer.get(`/v1/agencies/${dinas.id}/locks?limit=1`));
    expect(page(await viewer.get(`/v1/agencies/${dinas.id}/locks?limit=1&cursor=${one.nextCursor}`)).data.map((l) => l.period)).toEqual(['2026Q1']);
    problem(await opOther.get(`/v1/agencies/${dinas.id}/locks`), 404, 'not-found');
    // A quarter of a locked year is locked by the year.
    expect(ok(await viewer.get(`/v1/agencies/${dinas.id}/locks/2025Q3`)).period).toBe('2025');
    problem(await viewer.get(`/v1/agencies/${dinas.id}/locks/2027`), 404, 'not-found');

    const locked = (res: Res) => expect(problem(res, 409, 'period-locked').detail).toMatch(/lock/i);
    locked(await submitter.put(`/v1/indicators/${ind.id}/measurements/2025Q3`, { value: 1 }));
    locked(await submitter.put(`/v1/indicators/${ind.id}/measurements/2025Q1`, { value: 13 }));
    locked(await op.post(`/v1/indicators/${ind.id}/measurements/2025Q1/verification`, { decision: 'verified' }));
    locked(await op.put(`/v1/indicators/${ind.id}/targets/2025Q4`, { value: 1 }));
    locked(await op.put(`/v1/elements/${program.id}/budgets/2025`, { allocated: 1, realized: 1 }));
    locked(await op.put(`/v1/agencies/${dinas.id}/agreements/2025`, { items: [] }));
    locked(await op.post(`/v1/agencies/${dinas.id}/agreements/2025/sign`, { signedBy: 'x' }));
    locked(await submitter.put(`/v1/indicators/${ind.id}/measurements/2026Q1`, { value: 1 }));
    ok(await submitter.put(`/v1/indicators/${ind.id}/measurements/2026Q2`, { value: 1 }), 201);
    const batch = ok(await submitter.post('/v1/measurements/batch', { items: [{ indicatorId: ind.id, period: '2025Q4', value: 1 }] }));
    expect(batch.results[0]).toMatchObject({ status: 'rejected', error: expect.stringMatching(/lock/) });
    const tb = ok(await op.post('/v1/targets/batch', { items: [{ indicatorId: ind.id, period: '2025Q4', value: 1 }] }));
    expect(tb.results[0]).toMatchObject({ status: 'rejected', error: expect.stringMatching(/lock/) });
    // Deleting an element takes its targets and budgets of the locked year with it: refused too.
    locked(await op.delete(`/v1/elements/${doomed.id}`));
    expect(ok(await op.get(`/v1/elements/${doomed.id}/budgets/2025`)).allocated).toBe(100);

    problem(await op.delete(`/v1/agencies/${dinas.id}/locks/2025`), 403, 'forbidden');
    problem(await opOther.delete(`/v1/agencies/${dinas.id}/locks/2025`), 403, 'forbidden');
    const unlocked = await t.admin.delete(`/v1/agencies/${dinas.id}/locks/2025`);
    expect(unlocked.statusCode).toBe(204);
    expect(unlocked.body).toBe('');
    problem(await t.admin.delete(`/v1/agencies/${dinas.id}/locks/2025`), 404, 'not-found');
    ok(await submitter.put(`/v1/indicators/${ind.id}/measurements/2025Q3`, { value: 1 }), 201);
    expect((await op.delete(`/v1/elements/${doomed.id}`)).statusCode).toBe(204);
  });
});

describe('contract walk: audit and operations', () => {
  it('GET /v1/audit: admin and evaluator, filters, newest first, scoped', async () => {
    const res = page(await t.admin.get(`/v1/audit?entityType=indicator&entityId=${ind.id}`));
    expect(res.data.map((a) => a.action)).toEqual(['indicator.update', 'indicator.create']);
    const [upd] = res.data;
    expect(upd).toMatchObject({
      actor: op.info.clientId, action: 'indicator.update', entityType: 'indicator', entityId: ind.id,
      at: expect.stringMatching(UTC), requestId: expect.any(String), before: { unit: '%' }, after: { unit: 'persen' },
    });
    const byActor = page(await evaluator.get(`/v1/audit?actor=${submitter.info.clientId}&limit=2`));
    expect(byActor.data).toHaveLength(2);
    expect(byActor.data.every((a) => a.actor === submitter.info.clientId)).toBe(true);
    expect(byActor.nextCursor).toEqual(expect.any(String));
    const next = page(await evaluator.get(`/v1/audit?actor=${submitter.info.clientId}&limit=2&cursor=${byActor.nextCursor}`));
    expect(next.data[0].id).toBeLessThan(byActor.data[1].id);
    expect(page(await t.admin.get(`/v1/audit?since=${encodeURIComponent('2100-01-01T00:00:00Z')}`)).data).toEqual([]);
    invalid(await t.admin.get('/v1/audit?since=tomorrow'), 'since');
    // A forged cursor is a 400, never a 500 (was: a number past bigint range).
    invalid(await t.admin.get(`/v1/audit?cursor=${Buffer.from('1e23').toString('base64url')}`), 'cursor');
    invalid(await t.admin.get(`/v1/agencies/${dinas.id}/agreements/2025/versions?cursor=${Buffer.from('99999999999').toString('base64url')}`), 'cursor');
    invalid(await t.admin.get(`/v1/elements/${program.id}/budgets?cursor=${Buffer.from('99999999999').toString('base64url')}`), 'cursor');
    // The request id of a write is the one the caller sent.
    await op.patch(`/v1/indicators/${ind2.id}`, { name: 'Jumlah puskesmas terakreditasi paripurna' }, { 'x-request-id': 'sim-dinkes-777' });
    expect(page(await t.admin.get(`/v1/audit?entityId=${ind2.id}&limit=1`)).data[0].requestId).toBe('sim-dinkes-777');

    problem(await op.get('/v1/audit'), 403, 'forbidden');
    problem(await viewer.get('/v1/audit'), 403, 'forbidden');
    problem(await submitter.get('/v1/audit'), 403, 'forbidden');
    const scopedEval = await t.as('evaluator', other.id);
    const seen = page(await scopedEval.get('/v1/audit?limit=500')).data;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((a) => a.agencyId === other.id)).toBe(true);
  });

  it('operations are public and unversioned', async () => {
    expect(ok(await t.anonymous.get('/healthz'))).toMatchObject({ status: expect.any(String) });
    expect(ok(await t.anonymous.get('/readyz'))).toMatchObject({ status: expect.any(String) });
    const metrics = await t.anonymous.get('/metrics');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    const doc = ok(await t.anonymous.get('/openapi.json'));
    expect(doc.openapi).toMatch(/^3\.1/);
    for (const path of ['/v1/indicators/{indicatorId}/targets/{period}', '/v1/agencies/{agencyId}/agreements/{year}', '/v1/measurements/batch']) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(doc.paths['/v1/indicators/{indicatorId}/targets/{period}'].put.responses).toHaveProperty('409');
    const docs = await t.anonymous.get('/docs');
    expect([200, 302]).toContain(docs.statusCode);
    problem(await t.anonymous.get('/v1/nothing-here'), 404, 'not-found');
  });
});
