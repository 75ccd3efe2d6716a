/**
 * Events benchmark: (1) what the change events cost the 50,000-row measurement batch: the same
 * API batch with the `audit_log_events` trigger disabled and enabled (each on its own fresh set
 * of indicators, create then update); (2) events per second dispatched by the server's webhook
 * dispatcher to a receiver on loopback, for the events of one 50,000-row batch.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { csvOf, rowsFor, seedIndicators } from './measurements.js';
import { startServer, stopServer } from './server.js';
import { benchDatabase } from './common.js';

const INDICATORS = 2_000; // x 25 periods = 50,000 rows
const ADMIN = { id: 'bench-admin', secret: 'bench-admin-secret-0123456789' };

async function receiver() {
  const times: number[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      times.push(performance.now());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { times, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => { server.closeAllConnections(); server.close(); } };
}

export async function benchEvents() {
  const fresh = await benchDatabase();
  const dbUrl = new URL(fresh.url);
  const rx = await receiver();
  const server = await startServer({
    DATABASE_URL: dbUrl.toString(), SAKIP_BOOTSTRAP_CLIENT_ID: ADMIN.id, SAKIP_BOOTSTRAP_CLIENT_SECRET: ADMIN.secret,
    WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '50',
  });
  const c = new pg.Client({ connectionString: dbUrl.toString() });
  try {
    await c.connect();
    const call = async (method: string, path: string, body?: string, type = 'application/json', auth?: string) => {
      const res = await fetch(`${server.base}${path}`, { method, headers: { 'content-type': type, ...(auth ? { authorization: auth } : {}) }, body });
      if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      return res.json();
    };
    const tok = (await call('POST', '/v1/auth/token', JSON.stringify({ grant_type: 'client_credentials', client_id: ADMIN.id, client_secret: ADMIN.secret }))).access_token;
    const auth = `Bearer ${tok}`;
    const agency = await call('POST', '/v1/agencies', JSON.stringify({ code: 'BENCHEV', name: 'Dinas Bench', kind: 'department' }), 'application/json', auth);
    const batch = async (csv: string) => {
      await c.query('CHECKPOINT');
      const t0 = performance.now();
      await call('POST', '/v1/measurements/batch', csv, 'text/csv', auth);
      return performance.now() - t0;
    };
    const trigger = (on: boolean) => c.query(`ALTER TABLE audit_log ${on ? 'ENABLE' : 'DISABLE'} TRIGGER audit_log_events`);

    // Alternating runs on fresh indicators each (create, then update); the best of two per variant,
    // since the machine is shared and single runs are noisy.
    const runs = { offCreate: Infinity, onCreate: Infinity, offUpdate: Infinity, onUpdate: Infinity };
    let on: Array<{ id: string; code: string }> = [];
    for (let round = 0; round < 2; round++) {
      for (const enabled of [false, true]) {
        const inds = await seedIndicators(c, agency.id, `${enabled ? 'ON' : 'OFF'}${round}`, INDICATORS);
        await trigger(enabled);
        const create = await batch(csvOf(rowsFor(inds, 'BENCHEV', 0)));
        const update = await batch(csvOf(rowsFor(inds, 'BENCHEV', 1)));
        if (enabled) {
          runs.onCreate = Math.min(runs.onCreate, create);
          runs.onUpdate = Math.min(runs.onUpdate, update);
          on = inds;
        } else {
          runs.offCreate = Math.min(runs.offCreate, create);
          runs.offUpdate = Math.min(runs.offUpdate, update);
        }
      }
    }
    await trigger(true);
    const { offCreate, onCreate, offUpdate, onUpdate } = runs;
    // The trigger alone, in SQL: 50,000 audit rows of new entities inserted with it off and on (rolled back).
    const auditInsert = async (enabled: boolean) => {
      await c.query('BEGIN');
      try {
        if (!enabled) await c.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_events');
        const t0 = performance.now();
        await c.query(`INSERT INTO audit_log (actor, action, entity_type, entity_id, agency_id, after)
          SELECT 'bench', 'measurement.create', 'measurement', gen_random_uuid()::text || '/2025Q1', $1::uuid,
            jsonb_build_object('value', n, 'note', null, 'status', 'submitted', 'revision', 1)
          FROM generate_series(1, 50000) n`, [agency.id]);
        return performance.now() - t0;
      } finally {
        await c.query('ROLLBACK');
      }
    };
    const sqlOff = Math.min(await auditInsert(false), await auditInsert(false), await auditInsert(false));
    const sqlOn = Math.min(await auditInsert(true), await auditInsert(true), await auditInsert(true));
    const { rows: [ev] } = await c.query(`SELECT count(*)::int AS n, pg_total_relation_size('events') AS bytes FROM events`);

    // Dispatch: subscribe, write one more 50,000-row batch, time the deliveries.
    await call('POST', '/v1/webhooks', JSON.stringify({ url: rx.url, events: ['measurement.updated'] }), 'application/json', auth);
    const n = on.length * 25;
    const t0 = performance.now();
    await call('POST', '/v1/measurements/batch', csvOf(rowsFor(on, 'BENCHEV', 2)), 'text/csv', auth);
    const committed = performance.now();
    for (let i = 0; rx.times.length < n && i < 6000; i++) await new Promise((r) => setTimeout(r, 100));
    const last = rx.times[rx.times.length - 1] ?? NaN;
    const first = rx.times[0] ?? NaN;

    const ratio = (a: number, b: number) => +(a / b).toFixed(2);
    console.log(`\nchange events: ${ev.n.toLocaleString('en')} events stored (${Math.round(ev.bytes / 1048576)} MB with indexes)`);
    console.table({
      'batch create, events off': { ms: Math.round(offCreate) },
      'batch create, events on': { ms: Math.round(onCreate) },
      'batch update, events off': { ms: Math.round(offUpdate) },
      'batch update, events on': { ms: Math.round(onUpdate) },
    });
    console.log(`batch ingest with events / without: create ${ratio(offCreate, onCreate)}, update ${ratio(offUpdate, onUpdate)} (1.0 = free; best of 2 each)`);
    console.log(`the trigger alone: 50,000 audit rows inserted in ${Math.round(sqlOff)} ms without events, ${Math.round(sqlOn)} ms with (+${Math.round(sqlOn - sqlOff)} ms, ${((sqlOn - sqlOff) / 50).toFixed(1)} µs per event)`);
    console.log(`webhook dispatch: ${rx.times.length.toLocaleString('en')} of ${n.toLocaleString('en')} events delivered; `
      + `${Math.round(rx.times.length / ((last - first) / 1000))} events/s (first to last delivery), `
      + `last delivery ${Math.round((last - committed) / 1000)} s after the batch answered (batch took ${Math.round((committed - t0) / 1000)} s)`);
    return { offCreate, onCreate, offUpdate, onUpdate, sqlOff, sqlOn, delivered: rx.times.length, eventsPerSec: rx.times.length / ((last - first) / 1000) };
  } finally {
    await c.end().catch(() => {});
    await stopServer(server);
    rx.close();
    await fresh.drop();
  }
}
