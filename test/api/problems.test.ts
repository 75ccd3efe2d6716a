import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { buildApp } from '../../src/app.js';
import { registerErrorHandler, registerProblemHandlers } from '../../src/http/problem.js';
import { createTestApp, testConfig, uniq, type TestApp } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp({ BODY_LIMIT_BYTES: '2048' }); });
afterAll(async () => { await t.close(); });

const isProblem = (res: { headers: Record<string, unknown>; json(): any }, type: string, status: number) => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ type: `/problems/${type}`, status, title: expect.any(String), detail: expect.any(String) });
};

describe('every error is an RFC 9457 problem', () => {
  it('unknown route: 404 not-found, even without a token', async () => {
    const res = await t.anonymous.get('/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    isProblem(res, 'not-found', 404);
  });

  it('malformed JSON: 400 validation', async () => {
    const res = await t.admin.request({ method: 'POST', url: '/v1/agencies', payload: '{"code": ', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    isProblem(res, 'validation', 400);
  });

  it('invalid fields: 400 with errors[] paths', async () => {
    const res = await t.admin.post('/v1/agencies', { code: 'has space', name: '', kind: 'regency', extra: 1 });
    expect(res.statusCode).toBe(400);
    isProblem(res, 'validation', 400);
    const paths = res.json().errors.map((e: any) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['code', 'name']));
  });

  it('wrong content type: 415', async () => {
    const res = await t.admin.request({ method: 'POST', url: '/v1/agencies', payload: '<agency/>', headers: { 'content-type': 'application/xml' } });
    expect(res.statusCode).toBe(415);
    isProblem(res, 'unsupported-media-type', 415);
  });

  it('oversized body: 413', async () => {
    const res = await t.admin.post('/v1/agencies', { code: uniq('B'), name: 'x'.repeat(5000), kind: 'unit' });
    expect(res.statusCode).toBe(413);
    isProblem(res, 'payload-too-large', 413);
  });

  it('bad path parameter: 400, not 500', async () => {
    const res = await t.admin.get('/v1/agencies/not-a-uuid');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('agencyId');
  });

  it('echoes x-request-id, or makes one', async () => {
    const given = await t.admin.get('/v1/agencies', { 'x-request-id': 'sim-bogor-42' });
    expect(given.headers['x-request-id']).toBe('sim-bogor-42');
    const made = await t.anonymous.get('/v1/nothing');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('database gone: 503 unavailable without internals', async () => {
    const broken = await createTestApp();
    await broken.database.close(); // the database disappears under the running app
    try {
      const res = await broken.admin.get('/v1/agencies');
      expect(res.statusCode).toBe(503);
      isProblem(res, 'unavailable', 503);
      expect(res.body).not.toMatch(/select|at \w+ \(|\.ts:|stack/i);
    } finally {
      await broken.app.close();
    }
  });

  it('unexpected failures: 500 internal that hides the message and stack', async () => {
    const fresh = await freshDatabase();
    const app = await buildApp({ config: testConfig(), database: fresh.database, logger: false });
    app.get('/v1/boom', { config: { public: true } }, async () => {
      throw new Error('relation "secret_table" does not exist: SELECT * FROM secret_table');
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/v1/boom' });
      expect(res.statusCode).toBe(500);
      isProblem(res, 'internal', 500);
      expect(res.body).not.toMatch(/secret_table|SELECT|stack/i);
    } finally {
      await app.close();
      await fresh.dispose();
    }
  });
});

describe('errors raised while an answer is sent', () => {
  // The app's routes live in a scope below the root, both on the one error handler (src/app.ts).
  async function scoped(onSend: (status: number) => void, handler: () => unknown) {
    const app = Fastify({ logger: false });
    registerProblemHandlers(app);
    await app.register(async (routes) => {
      registerErrorHandler(routes);
      routes.addHook('onSend', async (_req, reply, payload) => { onSend(reply.statusCode); return payload; });
      routes.get('/v1/thing', async () => handler());
    });
    return app;
  }
  const lostConnection = () => Object.assign(new Error('Failed query: delete from "idempotency_keys" where owner = $1\nparams: 0d9b,key-1'), {
    cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
  });

  it('a failing onSend after an error answer: still a problem, never Fastify\'s default body with SQL', async () => {
    const app = await scoped((status) => { if (status >= 500) throw lostConnection(); }, () => { throw lostConnection(); });
    const res = await app.inject('/v1/thing');
    expect(res.statusCode).toBe(503);
    isProblem(res, 'unavailable', 503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).not.toMatch(/idempotency_keys|Failed query|params/);
    await app.close();
  });

  it('a failing onSend after a success, and again after the problem: one problem, written directly', async () => {
    const app = await scoped(() => { throw lostConnection(); }, () => ({ ok: true }));
    const res = await app.inject('/v1/thing');
    expect(res.statusCode).toBe(503);
    isProblem(res, 'unavailable', 503);
    expect(res.body).not.toMatch(/idempotency_keys|Failed query|ok/);
    await app.close();
  });

  it('a value the database cannot hold that passed validation: 400, not 500', async () => {
    const app = await scoped(() => {}, () => {
      throw Object.assign(new Error('Failed query: insert into "targets" values ($1)\nparams: 1e30'), {
        cause: Object.assign(new Error('numeric field overflow'), { code: '22003' }),
      });
    });
    const res = await app.inject('/v1/thing');
    isProblem(res, 'validation', 400);
    expect(res.json().detail).toContain('numeric field overflow');
    expect(res.body).not.toMatch(/insert|Failed query|params/);
    await app.close();
  });
});

describe('rate limiting', () => {
  it('answers 429 rate-limited past the limit', async () => {
    const limited = await createTestApp({ RATE_LIMIT_MAX: '3' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.admin.get('/v1/agencies')).statusCode);
      expect(codes.slice(0, 2)).toEqual([200, 200]);
      const res = await limited.admin.get('/v1/agencies');
      expect(res.statusCode).toBe(429);
      isProblem(res, 'rate-limited', 429);
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      await limited.close();
    }
  });
});

describe('bodies', () => {
  it('treats an empty JSON body as no body (DELETE from clients that always send Content-Type)', async () => {
    const c = await t.admin.post('/v1/clients', { name: 'sekali pakai', role: 'evaluator' });
    const res = await t.admin.request({ method: 'DELETE', url: `/v1/clients/${c.json().id}`, payload: '', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(204);
    const blank = await t.admin.request({ method: 'POST', url: '/v1/agencies', payload: '  ', headers: { 'content-type': 'application/json' } });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().type).toBe('/problems/validation');
  });
});

describe('URLs the router cannot match', () => {
  it('answers an overlong or badly encoded path segment with a validation problem', async () => {
    for (const url of [`/v1/agencies/${'x'.repeat(300)}`, '/v1/agencies/%zz']) {
      const res = await t.admin.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().type).toBe('/problems/validation');
      expect(res.headers['x-request-id']).toBeDefined();
    }
  });
});
