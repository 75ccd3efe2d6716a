import { createHash } from 'node:crypto';
import { compactVerify, createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, uniq, type Json, type TestApp } from '../helpers/app.js';
import { seedPrintable } from '../helpers/printing-fixtures.js';

let t: TestApp;
let published: Json, unsubmitted: Json;
let first: Json;

const url = (code: string, year = 2025) => `/public/v1/agencies/${encodeURIComponent(code)}/reports/${year}`;

beforeAll(async () => {
  t = await createTestApp();
  ({ agency: published } = await seedPrintable(t, uniq('PUB')));
  ({ agency: unsubmitted } = await seedPrintable(t, uniq('UNS')));
});
afterAll(async () => t?.close());

describe('before anything is submitted', () => {
  it('answers the same 404 for an unsubmitted year, a draft agreement\'s agency and an unknown code, without a token', async () => {
    const answers = await Promise.all([url(published.code), url(unsubmitted.code), url('NO-SUCH-AGENCY'), url(published.code, 2024)]
      .map((u) => t.anonymous.get(u)));
    for (const res of answers) {
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const { type, title, status } = res.json();
      expect({ type, title, status }).toEqual({ type: '/problems/not-found', title: 'Not found', status: 404 });
    }
    expect((await t.anonymous.get(url(published.code), { accept: 'text/html' })).statusCode).toBe(404);
    expect((await t.anonymous.get('/public/v1/reports')).json()).toEqual({ data: [], nextCursor: null });
  });
});

describe('a submitted report', () => {
  beforeAll(async () => {
    const res = await t.admin.post(`/v1/agencies/${published.id}/reports/2025/submissions`);
    expect(res.statusCode).toBe(201);
    first = res.json();
  });

  it('is public with its digest and a JWS that verifies offline with /public/jwks.json', async () => {
    const res = await t.anonymous.get(url(published.code));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ version: 1, digest: first.digest, submittedAt: first.submittedAt, jws: first.jws });
    expect(body.report.agency.code).toBe(published.code);

    const jwks = (await t.anonymous.get('/public/jwks.json')).json();
    expect(jwks).toEqual((await t.anonymous.get('/.well-known/jwks.json')).json());
    const { payload, protectedHeader } = await compactVerify(body.jws, createLocalJWKSet(jwks));
    expect(protectedHeader.alg).toBe('ES256');
    expect(createHash('sha256').update(payload).digest('hex')).toBe(body.digest);
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(body.report);
  });

  it('is cacheable: ETag, Cache-Control public, 304 on If-None-Match, per representation', async () => {
    const json = await t.anonymous.get(url(published.code));
    expect(json.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    const etag = json.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    const again = await t.anonymous.get(url(published.code), { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const page = await t.anonymous.get(url(published.code), { accept: 'text/html' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toMatch(/^public/);
    expect(page.headers.etag).not.toBe(etag);
    expect(page.body).toContain(first.digest);
    expect(page.body).toContain('/public/jwks.json');
    expect(page.body).toContain('1,063');
    expect((await t.anonymous.get(url(published.code), { accept: 'text/html', 'if-none-match': page.headers.etag as string })).statusCode).toBe(304);
    expect((await t.anonymous.get(url(published.code), { 'if-none-match': '"other"' })).statusCode).toBe(200);
    const list = await t.anonymous.get('/public/v1/reports');
    expect(list.headers['cache-control']).toMatch(/^public/);
    expect((await t.anonymous.get('/public/v1/reports', { 'if-none-match': list.headers.etag as string })).statusCode).toBe(304);
  });

  it('lists only submitted versions, the latest per agency-year, filtered and paged', async () => {
    const list = (await t.anonymous.get('/public/v1/reports?year=2025')).json();
    expect(list).toEqual({
      data: [{ agencyCode: published.code, agencyName: published.name, year: 2025, version: 1, digest: first.digest, submittedAt: first.submittedAt }],
      nextCursor: null,
    });
    expect((await t.anonymous.get(`/public/v1/reports?agencyCode=${unsubmitted.code}`)).json().data).toEqual([]);
    expect((await t.anonymous.get('/public/v1/reports?year=2024')).json().data).toEqual([]);
    expect((await t.anonymous.get('/public/v1/reports?year=25')).statusCode).toBe(400);
    expect((await t.anonymous.get('/public/v1/reports?cursor=nope')).statusCode).toBe(400);
  });

  it('follows a new version after an unlock, and pages over agencies', async () => {
    expect((await t.admin.delete(`/v1/agencies/${published.id}/locks/2025`)).statusCode).toBe(204);
    expect((await t.admin.post(`/v1/agencies/${published.id}/reports/2025/submissions`)).statusCode).toBe(201);
    expect((await t.admin.post(`/v1/agencies/${unsubmitted.id}/reports/2025/submissions`)).statusCode).toBe(201);
    expect((await t.anonymous.get(url(published.code))).json().version).toBe(2);
    const p1 = (await t.anonymous.get('/public/v1/reports?year=2025&limit=1')).json();
    expect(p1.data).toHaveLength(1);
    expect(p1.nextCursor).toBeTruthy();
    const p2 = (await t.anonymous.get(`/public/v1/reports?year=2025&limit=1&cursor=${p1.nextCursor}`)).json();
    expect(p2).toMatchObject({ nextCursor: null });
    const seen = [...p1.data, ...p2.data].map((r: Json) => [r.agencyCode, r.version]);
    expect(seen.sort()).toEqual([[published.code, 2], [unsubmitted.code, 1]].sort());
  });

  it('is documented without a token and with its media types', async () => {
    const doc = (await t.anonymous.get('/openapi.json')).json();
    const op = doc.paths['/public/v1/agencies/{agencyCode}/reports/{year}'].get;
    expect(op.security).toEqual([]);
    expect(Object.keys(op.responses['200'].content)).toEqual(expect.arrayContaining(['application/json', 'text/html']));
    expect(op.responses).not.toHaveProperty('401');
  });
});

describe('rate limit per IP', () => {
  it('is tighter on the public routes, whatever Authorization header is sent', async () => {
    const tight = await createTestApp({ PUBLIC_RATE_LIMIT_MAX: '3' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await tight.anonymous.get('/public/v1/reports', { authorization: `Bearer made-up-${i}` });
        codes.push(res.statusCode);
        if (res.statusCode === 429) expect(res.json().type).toBe('/problems/rate-limited');
      }
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      expect((await tight.admin.get('/v1/agencies')).statusCode).toBe(200); // the API's own limit is separate
    } finally {
      await tight.close();
    }
  });
});
