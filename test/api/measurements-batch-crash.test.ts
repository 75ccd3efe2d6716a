import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { writeGate } from '../../src/db/gate.js';
import type { Actor } from '../../src/http/access.js';
import { createTestApp, type Client, type TestApp } from '../helpers/app.js';
import { SERVER_URL } from '../helpers/db.js';
import { planFixture, type PlanFixture } from '../helpers/measurement-fixtures.js';

/**
 * The chunked batch's idempotency scheme (docs/batch.md): chunks of 2 rows here, so that a batch of
 * 10 rows is 5 transactions. The database connection dies in the middle of the batch (a trigger
 * on the row of the last chunk terminates every connection of the app on PostgreSQL; on PGlite,
 * which has no connections to lose, it raises the same SQLSTATE). The resend with the same
 * Idempotency-Key finishes the work.
 */
let t: TestApp;
let fx: PlanFixture;
let sub: Client;
beforeAll(async () => {
  t = await createTestApp({ BATCH_CHUNK_ROWS: '2' });
  fx = await planFixture(t, await t.agency(), { count: 10 });
  sub = await t.as('submitter', fx.agencyId);
});
afterAll(async () => { await t.close(); });

const BATCH = '/v1/measurements/batch';
const exec = (q: ReturnType<typeof sql>) => t.app.db.execute(q);
const sorted = () => [...fx.indicators].sort((a, b) => (a.id < b.id ? -1 : 1));

async function armCrash(indicatorId: string) {
  const body = SERVER_URL
    ? `PERFORM pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'sakip' AND pid <> pg_backend_pid();
       PERFORM pg_terminate_backend(pg_backend_pid());
       RAISE EXCEPTION 'connection lost' USING ERRCODE = '57P01';`
    : `RAISE EXCEPTION 'connection lost' USING ERRCODE = '57P01';`;
  await exec(sql.raw(`CREATE FUNCTION crash_batch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} END $$`));
  await exec(sql.raw(`CREATE TRIGGER crash_batch BEFORE INSERT OR UPDATE ON measurements FOR EACH ROW
    WHEN (NEW.indicator_id = '${indicatorId}'::uuid) EXECUTE FUNCTION crash_batch()`));
}
async function disarm() {
  // The first statement may meet a connection the crash killed in the pool: retry once.
  const drop = () => exec(sql`DROP TRIGGER crash_batch ON measurements`);
  await drop().catch(drop);
  await exec(sql`DROP FUNCTION crash_batch()`);
}
const present = async () => (await queryRows<{ indicator_id: string; value: string; revision: number }>(t.app.db, sql`
  SELECT indicator_id, value::float8::text AS value, revision FROM measurements WHERE period = '2025Q1'`))
  .reduce((m, r) => m.set(r.indicator_id, r), new Map<string, { value: string; revision: number }>());

describe('chunked batch: a crash mid-way, then the resend with the same key', () => {
  it('leaves whole chunks, records no key, and the resend completes with one revision per real change', async () => {
    const inds = sorted();
    // Four rows exist already with another value: the batch updates them and creates six.
    const before = await sub.post(BATCH, { items: inds.slice(0, 4).map((i) => ({ indicatorId: i.id, period: '2025Q1', value: 1 })) });
    expect(before.json().summary.created).toBe(4);
    const items = inds.map((i, k) => ({ indicatorId: i.id, period: '2025Q1', value: 100 + k }));
    const key = { 'idempotency-key': 'crash-batch-1' };

    await armCrash(inds[9].id); // the row of the last chunk
    const crashed = await sub.post(BATCH, { items }, key);
    await disarm();
    expect(crashed.statusCode).toBe(503);
    expect(crashed.headers['content-type']).toMatch(/application\/problem\+json/);
    const [stored] = await queryRows(t.app.db, sql`SELECT result, status_code FROM idempotency_keys WHERE key = 'crash-batch-1'`);
    expect(stored).toBeUndefined(); // the key is recorded only with the whole batch
    const after = await present();
    const written = inds.filter((i, k) => after.get(i.id)?.value === String(100 + k));
    expect(written.length % 2).toBe(0); // whole chunks
    expect(written.length).toBeGreaterThanOrEqual(2); // at least the first chunk committed
    expect(written.length).toBeLessThan(10);
    expect(written).not.toContainEqual(inds[9]);

    const resend = await sub.post(BATCH, { items }, key);
    expect(resend.statusCode).toBe(200);
    const body = resend.json();
    expect(body.summary).toEqual({
      received: 10, rejected: 0, unchanged: written.length,
      created: inds.slice(4).filter((i) => !written.includes(i)).length,
      updated: inds.slice(0, 4).filter((i) => !written.includes(i)).length,
    });
    // The rows the crashed attempt wrote come back unchanged; the others are written now.
    for (const r of body.results) expect(r.status === 'unchanged').toBe(written.some((i) => i.id === r.indicatorId));

    // Every row present once with its value; exactly one revision and one audit row per real change.
    const final = await present();
    for (const [k, i] of inds.entries()) {
      const changes = k < 4 ? 2 : 1;
      expect(final.get(i.id)).toEqual({ indicator_id: i.id, value: String(100 + k), revision: changes });
      const [counts] = await queryRows<{ revisions: number; audits: number }>(t.app.db, sql`
        SELECT (SELECT count(*)::int FROM measurement_revisions WHERE indicator_id = ${i.id}::uuid AND period = '2025Q1') AS revisions,
               (SELECT count(*)::int FROM audit_log WHERE entity_type = 'measurement' AND entity_id = ${`${i.id}/2025Q1`}) AS audits`);
      expect(counts).toEqual({ revisions: changes, audits: changes });
    }

    // Now the key holds the complete answer: a third send replays it.
    const replay = await sub.post(BATCH, { items }, key);
    expect(replay.statusCode).toBe(200);
    expect(replay.body).toBe(resend.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });
});

describe.runIf(!!SERVER_URL)('chunked batch: a concurrent duplicate', () => {
  it('gets 409 with Retry-After while the first attempt holds the key; the first completes', async () => {
    const ind = sorted()[0];
    const items = [{ indicatorId: ind.id, period: '2026Q1', value: 7 }];
    const key = { 'idempotency-key': 'dup-batch-1' };
    let release!: () => void;
    const released = new Promise<void>((r) => { release = r; });
    let blocking!: () => void;
    const blocked = new Promise<void>((r) => { blocking = r; });
    // Hold the agency row FOR UPDATE (as a period lock does): the batch's chunk waits on it.
    const blocker = t.app.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1 FROM agencies WHERE id = ${fx.agencyId}::uuid FOR UPDATE`);
      blocking();
      await released;
    });
    await blocked;
    const first = sub.post(BATCH, { items }, key);
    // Wait until the first attempt holds the key's advisory lock.
    for (;;) {
      const [held] = await queryRows<{ n: number }>(t.app.db, sql`SELECT count(*)::int AS n FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
      if (held.n > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const duplicate = await sub.post(BATCH, { items }, key);
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.headers['retry-after']).toBeDefined();
    expect(duplicate.json().type).toBe('/problems/conflict');
    release();
    await blocker;
    const done = await first;
    expect(done.statusCode).toBe(200);
    expect(done.json().summary.created).toBe(1);
    const again = await sub.post(BATCH, { items }, key);
    expect(again.body).toBe(done.body);
  });
});

describe('gate.exclusive: a duplicate while the work runs', () => {
  it('is 409 with Retry-After (PostgreSQL: the holder\'s advisory lock; PGlite: in memory), and the key is free after', async () => {
    const gate = writeGate(t.app.db);
    const actor = (): Actor => ({
      subject: 'dup-test', clientId: 'dup-test', role: 'admin', agencyId: null, requestId: 'r',
      idempotency: { owner: 'dup-test', key: 'exclusive-1', requestHash: 'h' },
    });
    let release!: () => void;
    const released = new Promise<void>((r) => { release = r; });
    let started!: () => void;
    const running = new Promise<void>((r) => { started = r; });
    const first = gate.exclusive(actor(), async () => { started(); await released; return { done: 1 }; });
    await running;
    const second = actor();
    await expect(gate.exclusive(second, async () => ({ done: 2 }))).rejects.toMatchObject({ type: 'conflict', options: { retryAfter: 1 } });
    expect(second.idempotency!.inFlight).toBe(true);
    release();
    expect(await first).toEqual({ done: 1 });
    // Recorded with the complete result: a later attempt gets it back without running.
    expect(await gate.exclusive(actor(), async () => ({ done: 3 }))).toEqual({ done: 1 });
  });
});
