import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let agencyId: string;
beforeAll(async () => {
  t = await createTestApp();
  agencyId = (await t.agency({ code: 'NULCHK' })).id;
});
afterAll(async () => { await t.close(); });

type Res = { statusCode: number; headers: Record<string, unknown>; json(): any; body: string };
const isValidation = (res: Res, path: string) => {
  expect(res.statusCode, res.body).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json().type).toBe('/problems/validation');
  expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
};

describe('text PostgreSQL cannot store is a 400 validation problem wherever it is sent', () => {
  it('query: GET /v1/agencies?code=%00', async () => {
    isValidation(await t.admin.get('/v1/agencies?code=%00'), 'code');
    isValidation(await t.admin.get('/v1/agencies?code=A%00B&limit=5'), 'code');
  });

  it('path: a NUL in a path segment', async () => {
    isValidation(await t.admin.get('/v1/agencies/abc%00def'), 'agencyId');
    isValidation(await t.admin.get(`/v1/agencies/${agencyId}/reports/2025%00`), 'year');
  });

  it('header: a NUL in a header value (inject; a real socket is refused by the HTTP parser, below)', async () => {
    const res = await t.admin.request({ method: 'POST', url: '/v1/agencies', payload: { code: 'HDR1', name: 'Dinas', kind: 'department' }, headers: { 'idempotency-key': 'k\u0000ey' } });
    isValidation(res, 'idempotency-key');
    expect((await t.admin.get('/v1/agencies?code=HDR1')).json().data).toHaveLength(0);
  });

  it('JSON body: strings at any depth, and field names', async () => {
    isValidation(await t.admin.post('/v1/agencies', { code: 'NUL1', name: 'Dinas\u0000Kesehatan', kind: 'department' }), 'name');
    isValidation(await t.admin.patch(`/v1/agencies/${agencyId}`, { name: 'x\u0000' }), 'name');
    const deep = await t.admin.post('/v1/measurements/batch', { items: [{ agencyCode: 'NULCHK', indicatorCode: 'I-1', period: '2025Q1', value: 1, note: 'ok' }, { agencyCode: 'NULCHK', indicatorCode: 'I-1', period: '2025Q2', value: 1, note: 'bad\u0000note' }] });
    isValidation(deep, 'items.1.note');
    isValidation(await t.admin.post('/v1/agencies', { code: 'NUL2', name: 'Dinas', kind: 'department', ['ext\u0000ra']: 1 }), 'ext\uFFFDra');
    // a lone surrogate is not Unicode: jsonb refuses it, text would store U+FFFD
    isValidation(await t.admin.request({ method: 'POST', url: '/v1/agencies', headers: { 'content-type': 'application/json' }, payload: '{"code":"NUL3","name":"Dinas \\ud800","kind":"department"}' }), 'name');
    // a surrogate pair (an emoji) is fine
    expect((await t.admin.post('/v1/agencies', { code: 'EMOJI1', name: 'Dinas 🙂', kind: 'department' })).statusCode).toBe(201);
    expect((await t.admin.get('/v1/agencies?limit=500')).json().data.map((a: { code: string }) => a.code)).not.toEqual(expect.arrayContaining(['NUL1', 'NUL2', 'NUL3']));
  });

  it('CSV body: names the line', async () => {
    const csv = 'agency_code,indicator_code,period,value,note\nNULCHK,I-1,2025Q1,1,ok\nNULCHK,I-1,2025Q2,1,bad\u0000\n';
    const res = await t.admin.request({ method: 'POST', url: '/v1/measurements/batch', payload: csv, headers: { 'content-type': 'text/csv' } });
    isValidation(res, 'body');
    expect(res.json().errors[0].message).toContain('line 3');
  });

  it('form body and HTTP Basic credentials of the token endpoint', async () => {
    const form = await t.app.inject({ method: 'POST', url: '/v1/auth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=client_credentials&client_id=a%00b&client_secret=whatever-secret' });
    isValidation(form, 'client_id');
    const basic = await t.app.inject({
      method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'client_credentials' },
      headers: { authorization: `Basic ${Buffer.from('a\u0000b:whatever-secret').toString('base64')}` },
    });
    isValidation(basic, 'authorization');
  });

  it('a real socket: a NUL in a header is refused by the HTTP parser, as a problem', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as AddressInfo;
    const answer = await new Promise<string>((resolve, reject) => {
      let data = '';
      const socket = connect(port, '127.0.0.1', () => socket.write('GET /v1/agencies HTTP/1.1\r\nHost: x\r\nX-Note: a\u0000b\r\n\r\n'));
      socket.on('data', (d) => { data += d; }).on('end', () => resolve(data)).on('close', () => resolve(data)).on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).type).toBe('/problems/validation');
  });
});
