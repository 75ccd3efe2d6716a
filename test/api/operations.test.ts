import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { connectPg } from '../../src/db/client.js';
import { generateOpenApiDocument } from '../../src/openapi-document.js';
import { createTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { SERVER_URL, createServerDatabase } from '../helpers/db.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

describe('operations endpoints', () => {
  it('healthz and readyz answer without a token', async () => {
    expect((await t.anonymous.get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.anonymous.get('/readyz');
    expect(ready.statusCode).toBe(200);
  });

  it('metrics count requests by route and status in Prometheus text', async () => {
    await t.admin.get('/v1/agencies');
    const res = await t.anonymous.get('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toMatch(/http_requests_total\{method="GET",route="\/v1\/agencies",status="200"\} \d+/);
    expect(res.body).toContain('http_request_duration_seconds_bucket');
  });

  it('serves OpenAPI 3.1 with security and problem responses, and interactive docs', async () => {
    const doc = (await t.anonymous.get('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    const get = doc.paths['/v1/agencies/{agencyId}'].get;
    expect(get.security).toEqual([{ oauth2: [] }]);
    expect(Object.keys(get.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '500']));
    expect(doc.paths['/v1/auth/token'].post.security).toEqual([]);
    const docs = await t.anonymous.get('/docs/');
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('the committed openapi/openapi.json is what the code serves (run `npm run openapi`)', async () => {
    const committed = readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8');
    expect(committed).toBe(await generateOpenApiDocument());
  });
});

describe.runIf(!!SERVER_URL)('readiness follows the database', () => {
  it('is 503 while PostgreSQL does not answer and 200 again by itself when it does', async () => {
    const created = await createServerDatabase();
    const url = new URL(created.url);
    const proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.host = `127.0.0.1:${proxy.port}`;
    const database = connectPg(url.toString(), 2);
    const app = await buildApp({ config: testConfig(), database, logger: false });
    try {
      expect((await app.inject('/readyz')).statusCode).toBe(200);
      proxy.cut();
      const down = await app.inject('/readyz');
      expect(down.statusCode).toBe(503);
      expect(down.json().type).toBe('/problems/unavailable');
      expect((await app.inject('/healthz')).statusCode).toBe(200);
      proxy.restore();
      let status = 0;
      for (let i = 0; i < 20 && status !== 200; i++) {
        status = (await app.inject('/readyz')).statusCode;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
    } finally {
      await app.close();
      await database.close();
      await proxy.close();
      await created.drop();
    }
  });
});
