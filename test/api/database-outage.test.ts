import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { connectPg } from '../../src/db/client.js';
import { ADMIN_ID, ADMIN_SECRET, testConfig, token } from '../helpers/app.js';
import { SERVER_URL, createServerDatabase } from '../helpers/db.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a failed answer may look like during an outage: a 503 problem, nothing internal. */
function expectUnavailable(res: LightMyRequestResponse, what: string) {
  expect(res.statusCode, `${what}: ${res.body}`).toBe(503);
  expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
  expect(res.json().type, what).toBe('/problems/unavailable');
  expect(res.headers['retry-after'], what).toBeDefined();
  expect(res.body, what).not.toMatch(/select|insert|update|delete from|Failed query|params:|\bat \w+ \(|\.ts:\d/i);
}

describe.runIf(!!SERVER_URL)('a database outage under concurrent writes on two processes', () => {
  it('keeps both up, answers 503 problems, is ready again within 10 s of restore, and loses nothing acknowledged', async () => {
    const created = await createServerDatabase();
    const url = new URL(created.url);
    const proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.host = `127.0.0.1:${proxy.port}`;
    const databases = [connectPg(url.toString(), 4), connectPg(url.toString(), 4)];
    const crashes: unknown[] = [];
    const onCrash = (err: unknown) => { crashes.push(err); };
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    const apps: FastifyInstance[] = [];
    try {
      for (const database of databases) apps.push(await buildApp({ config: testConfig(), database, logger: false }));
      const auth = { authorization: `Bearer ${await token(apps[0], ADMIN_ID, ADMIN_SECRET)}` };
      const create = (app: FastifyInstance, code: string) => app.inject({
        method: 'POST', url: '/v1/agencies', headers: { ...auth, 'idempotency-key': `key-${code}` },
        payload: { code, name: `Dinas ${code}`, kind: 'department' },
      });

      // Four writers, two on each process, each creating agencies one after another.
      const acknowledged = new Set<string>();
      const refused = new Set<string>();
      const statuses: number[] = [];
      let stop = false;
      const writer = async (app: FastifyInstance, name: string) => {
        for (let i = 0; !stop; i++) {
          const code = `${name}-${i}`;
          const res = await create(app, code);
          statuses.push(res.statusCode);
          if (res.statusCode === 201) acknowledged.add(code);
          else {
            expectUnavailable(res, `POST ${code}`);
            refused.add(code);
            await sleep(50);
          }
        }
      };
      const writers = [writer(apps[0], 'A0'), writer(apps[0], 'A1'), writer(apps[1], 'B0'), writer(apps[1], 'B1')];
      await sleep(800);
      expect(acknowledged.size).toBeGreaterThan(0);

      proxy.cut();
      await sleep(300);
      // New requests while the database is away: reads, writes, a streamed report, readiness.
      for (const app of apps) {
        expectUnavailable(await app.inject({ method: 'GET', url: '/v1/agencies', headers: auth }), 'GET list');
        expectUnavailable(await create(app, `NEW-${apps.indexOf(app)}`), 'POST during the cut');
        expectUnavailable(await app.inject({ method: 'GET', url: '/v1/reports/2025', headers: { ...auth, accept: 'application/x-ndjson' } }), 'NDJSON stream');
        expect((await app.inject('/readyz')).statusCode).toBe(503);
        expect((await app.inject('/healthz')).statusCode).toBe(200);
      }
      await sleep(2_500);
      proxy.restore();
      const restoredAt = Date.now();
      for (const app of apps) {
        let status = 0;
        while (status !== 200 && Date.now() - restoredAt < 10_000) {
          status = (await app.inject('/readyz')).statusCode;
          if (status !== 200) await sleep(100);
        }
        expect(status).toBe(200);
      }
      expect(Date.now() - restoredAt).toBeLessThan(10_000);
      await sleep(500);
      stop = true;
      await Promise.all(writers);

      expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
      expect(statuses).toContain(503);
      // Retries with the same keys complete: each refused create is done now (once) or replays.
      for (const code of refused) {
        const res = await create(apps[refused.size % 2], code);
        expect([200, 201], `retry ${code}: ${res.body}`).toContain(res.statusCode);
        acknowledged.add(code);
      }

      // Straight to the server, past the proxy: every acknowledged write is there once, audited once.
      const direct = new pg.Client({ connectionString: created.url });
      await direct.connect();
      try {
        const { rows } = await direct.query<{ code: string; n: number; audits: number }>(`
          select a.code, count(*)::int as n,
                 (select count(*)::int from audit_log l where l.entity_id = min(a.id::text) and l.action = 'agency.create') as audits
          from agencies a where a.code = any($1) group by a.code`, [[...acknowledged]]);
        expect(rows.map((r) => r.code).sort()).toEqual([...acknowledged].sort());
        expect(rows.filter((r) => r.n !== 1 || r.audits !== 1)).toEqual([]);
      } finally {
        await direct.end();
      }
      expect(crashes).toEqual([]);
    } finally {
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
      await Promise.all(apps.map((a) => a.close()));
      await Promise.all(databases.map((d) => d.close()));
      await proxy.close();
      await created.drop();
    }
  }, 60_000);
});
