import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { decodeJwt } from 'jose';
import { buildApp } from '../../src/app.js';
import { createTestApp, testConfig, uniq, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

/** The same state a process leaves when it dies between the commit of the work and the answer:
 * the work and the key's result are committed, no response was stored. */
async function crashingInstance() {
  const app = await buildApp({ config: testConfig(), database: t.database, logger: false });
  app.addHook('preSerialization', async () => { throw new Error('process died before answering'); });
  await app.ready();
  return app;
}

describe('Idempotency-Key survives a crash between commit and answer', () => {
  it('the retry replays the committed result at once, and the work happened once', async () => {
    const crashing = await crashingInstance();
    const key = `crash-${uniq()}`;
    const body = { code: uniq('C'), name: 'Dinas Tangguh', kind: 'department' };
    try {
      const first = await crashing.inject({
        method: 'POST', url: '/v1/agencies', payload: body,
        headers: { authorization: `Bearer ${t.admin.token}`, 'idempotency-key': key },
      });
      expect(first.statusCode).toBe(500);
    } finally {
      await crashing.close();
    }
    const retry = await t.admin.post('/v1/agencies', body, { 'idempotency-key': key });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const created = retry.json();
    expect(created).toMatchObject(body);
    expect(retry.headers.location).toBe(`/v1/agencies/${created.id}`);
    const list = await t.admin.get(`/v1/agencies?code=${body.code}`);
    expect(list.json().data).toEqual([created]);
    const audit = await t.admin.get(`/v1/audit?entityType=agency&entityId=${created.id}`);
    expect(audit.json().data).toHaveLength(1);
    // The answer the retry got is now stored: a third call replays it byte for byte.
    const third = await t.admin.post('/v1/agencies', body, { 'idempotency-key': key });
    expect(third.body).toBe(retry.body);
  });
});

describe.runIf(!!process.env.DATABASE_URL)('a live attempt and a dead one (PostgreSQL)', () => {
  it('409 with Retry-After while another attempt holds the key; free the moment its connection dies', async () => {
    const key = `live-${uniq()}`;
    const owner = String(decodeJwt(t.admin.token!).sub);
    const body = { code: uniq('L'), name: 'Dinas Hidup', kind: 'department' };
    // Another process is working on this key: it holds the key's advisory lock in its transaction.
    const url = new URL(process.env.DATABASE_URL!);
    const dbName = (await t.database.db.execute('select current_database() as d') as unknown as { rows: Array<{ d: string }> }).rows[0].d;
    url.pathname = `/${dbName}`;
    const live = new pg.Client({ connectionString: url.toString() });
    await live.connect();
    try {
      await live.query('BEGIN');
      await live.query('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))', [`${owner}\n${key}`]);
      const busy = await t.admin.post('/v1/agencies', body, { 'idempotency-key': key });
      expect(busy.statusCode).toBe(409);
      expect(busy.headers['retry-after']).toBe('1');
      expect(busy.json().type).toBe('/problems/conflict');
    } finally {
      // The other process dies: its connection, transaction and lock are gone.
      await live.end();
    }
    const retry = await t.admin.post('/v1/agencies', body, { 'idempotency-key': key });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
  });
});
