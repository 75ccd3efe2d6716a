/**
 * Measurement batch benchmark: the API (in its own process, timed from the client) against two
 * baselines on the same database: (a) plain COPY into a bare table, (b) the bare set-based upsert
 * into `measurements` (no HTTP, validation, revisions or audit). Also the server's peak RSS.
 */
import { memoryMb, startServer as startBenchServer, stopServer } from './server.js';
import pg from 'pg';
import { benchDatabase } from './common.js';

const INDICATORS = 2_000;
const YEARS = [2020, 2021, 2022, 2023, 2024];
const PERIODS = YEARS.flatMap((y) => [String(y), `${y}Q1`, `${y}Q2`, `${y}Q3`, `${y}Q4`]); // 25 periods
const ADMIN = { id: 'bench-admin', secret: 'bench-admin-secret-0123456789' };

export type Row = { indicatorId: string; agencyCode: string; indicatorCode: string; period: string; value: string; note: string | null };

/** COPY ... FROM STDIN through pg's submittable protocol hooks (what pg-copy-streams does), so the
 * baseline is real COPY without adding a package. */
/** The part of pg's connection the COPY hooks drive (pg's own typings do not declare the COPY methods). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

function copyFrom(client: pg.Client, text: string, data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let error: unknown = null;
    const submittable = {
      submit(connection: CopyConnection) { connection.query(text); },
      handleCopyInResponse(connection: CopyConnection) {
        const buf = Buffer.from(data, 'utf8');
        for (let i = 0; i < buf.length; i += 1 << 16) connection.sendCopyFromChunk(buf.subarray(i, i + (1 << 16)));
        connection.endCopyFrom();
      },
      handleCommandComplete() {},
      handleReadyForQuery() { if (error) reject(error); else resolve(); },
      handleError(err: unknown) { error = err; },
      handleEmptyQuery() {},
    };
    client.query(submittable as unknown as pg.Submittable);
  });
}

const vm = memoryMb;

const startServer = (url: string) => startBenchServer({
  DATABASE_URL: url, SAKIP_BOOTSTRAP_CLIENT_ID: ADMIN.id, SAKIP_BOOTSTRAP_CLIENT_SECRET: ADMIN.secret,
});

/** Seeds an agency's plan (2020-2029) and `n` indicators whose codes start with `prefix`. */
export async function seedIndicators(c: pg.Client, agencyId: string, prefix: string, n: number): Promise<Array<{ id: string; code: string }>> {
  const { rows: [plan] } = await c.query(`INSERT INTO plans (id, agency_id, kind, title, start_year, end_year)
    VALUES (gen_random_uuid(), $1, 'renstra', 'Renstra bench', 2020, 2029) RETURNING id`, [agencyId]);
  const { rows: [el] } = await c.query(`INSERT INTO elements (id, plan_id, agency_id, level, code, title)
    VALUES (gen_random_uuid(), $1, $2, 'objective', $3, 'Sasaran') RETURNING id`, [plan.id, agencyId, `${prefix}-S`]);
  const { rows } = await c.query(`INSERT INTO indicators (id, element_id, plan_id, agency_id, code, name, type, unit, polarity, aggregation)
    SELECT gen_random_uuid(), $1, $2, $3, $4 || lpad(n::text, 5, '0'), 'Indikator ' || n, 'output', '%', 'higher_is_better', 'last'
    FROM generate_series(1, $5::int) n ORDER BY n RETURNING id, code`, [el.id, plan.id, agencyId, prefix, n]);
  return rows;
}

export const rowsFor = (inds: Array<{ id: string; code: string }>, agencyCode: string, bump: number): Row[] =>
  inds.flatMap((ind, i) => PERIODS.map((period, p) => ({
    indicatorId: ind.id, agencyCode, indicatorCode: ind.code, period,
    value: (((i * 25 + p) % 1000) + 0.25 + bump).toFixed(2),
    note: p % 10 === 0 ? 'Capaian sesuai target, data dari Dinas' : null,
  })));

export const csvOf = (rows: Row[]) => `agency_code,indicator_code,period,value,note\n${rows.map((r) =>
  `${r.agencyCode},${r.indicatorCode},${r.period},${r.value},${r.note ? `"${r.note}"` : ''}`).join('\n')}\n`;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, result };
}

export async function benchMeasurements() {
  const fresh = await benchDatabase();
  const dbUrl = new URL(fresh.url);
  const server = await startServer(dbUrl.toString());
  const { child, base } = server;
  const c = new pg.Client({ connectionString: dbUrl.toString() });
  try {
    await c.connect();
    const tok = (await (await fetch(`${base}/v1/auth/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: ADMIN.id, client_secret: ADMIN.secret }),
    })).json()).access_token;
    const auth = { authorization: `Bearer ${tok}` };
    const agency = await (await fetch(`${base}/v1/agencies`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'BENCH', name: 'Dinas Bench', kind: 'department' }),
    })).json();
    const apiInds = await seedIndicators(c, agency.id, 'API', INDICATORS);
    const bareInds = await seedIndicators(c, agency.id, 'BARE', INDICATORS);

    // Each timed phase starts from a checkpoint, so no phase pays for another's dirty pages.
    const settle = () => c.query('CHECKPOINT');

    async function apiBatch(body: string, contentType: string) {
      await settle();
      let peak = 0;
      const sampler = setInterval(() => { peak = Math.max(peak, vm(child.pid!, 'VmRSS')); }, 50);
      try {
        const { ms, result } = await timed(async () => {
          const res = await fetch(`${base}/v1/measurements/batch`, { method: 'POST', headers: { ...auth, 'content-type': contentType }, body });
          if (res.status !== 200) throw new Error(`batch answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
          return (await res.json()).summary;
        });
        return { ms, summary: result, peakRssMb: Math.max(peak, vm(child.pid!, 'VmRSS')) };
      } finally {
        clearInterval(sampler);
      }
    }

    const idleRssMb = vm(child.pid!, 'VmRSS');
    const created = rowsFor(apiInds, 'BENCH', 0);
    const jsonBody = JSON.stringify({ items: created.map((r) => ({ indicatorId: r.indicatorId, period: r.period, value: Number(r.value), note: r.note })) });
    const jsonRun = await apiBatch(jsonBody, 'application/json');
    const csvRun = await apiBatch(csvOf(rowsFor(apiInds, 'BENCH', 1)), 'text/csv'); // every value changes: 50,000 updates
    const againRun = await apiBatch(csvOf(rowsFor(apiInds, 'BENCH', 1)), 'text/csv'); // all unchanged

    // (a) COPY into a bare table (no constraints, no indexes).
    await c.query('CREATE TABLE bench_copy (indicator_id uuid, period text, agency_id uuid, value numeric(24,4), note text)');
    const copyRows = rowsFor(bareInds, 'BENCH', 0);
    const copyText = copyRows.map((r) => `${r.indicatorId}\t${r.period}\t${agency.id}\t${r.value}\t${r.note ?? '\\N'}`).join('\n') + '\n';
    await settle();
    const copyRun = await timed(() => copyFrom(c, 'COPY bench_copy FROM STDIN', copyText));

    // (b) the bare set-based upsert of the same rows into measurements: one statement.
    const upsert = (rows: Row[]) => c.query(`
      INSERT INTO measurements AS m (indicator_id, period, agency_id, value, note, updated_by)
      SELECT u.i, u.p, $3::uuid, u.v, u.n, 'bench' FROM unnest($1::uuid[], $2::text[], $4::numeric[], $5::text[]) AS u(i, p, v, n)
      ON CONFLICT (indicator_id, period) DO UPDATE SET value = EXCLUDED.value, note = EXCLUDED.note, revision = m.revision + 1, updated_at = now()
      WHERE m.value IS DISTINCT FROM EXCLUDED.value OR m.note IS DISTINCT FROM EXCLUDED.note`,
    [rows.map((r) => r.indicatorId), rows.map((r) => r.period), agency.id, rows.map((r) => r.value), rows.map((r) => r.note)]);
    await settle();
    const bareInsert = await timed(() => upsert(rowsFor(bareInds, 'BENCH', 0)));
    await settle();
    const bareUpdate = await timed(() => upsert(rowsFor(bareInds, 'BENCH', 1)));

    const n = created.length;
    const rps = (ms: number) => Math.round(n / (ms / 1000));
    const results = {
      rows: n,
      apiJsonCreate: { ms: Math.round(jsonRun.ms), rowsPerSec: rps(jsonRun.ms), summary: jsonRun.summary, peakRssMb: jsonRun.peakRssMb },
      apiCsvUpdate: { ms: Math.round(csvRun.ms), rowsPerSec: rps(csvRun.ms), summary: csvRun.summary, peakRssMb: csvRun.peakRssMb },
      apiCsvUnchanged: { ms: Math.round(againRun.ms), rowsPerSec: rps(againRun.ms), peakRssMb: againRun.peakRssMb },
      copyBareTable: { ms: Math.round(copyRun.ms), rowsPerSec: rps(copyRun.ms) },
      bareUpsertInsert: { ms: Math.round(bareInsert.ms), rowsPerSec: rps(bareInsert.ms) },
      bareUpsertUpdate: { ms: Math.round(bareUpdate.ms), rowsPerSec: rps(bareUpdate.ms) },
      ratios: {
        jsonCreateVsBareUpsert: +(bareInsert.ms / jsonRun.ms).toFixed(2),
        csvUpdateVsBareUpsert: +(bareUpdate.ms / csvRun.ms).toFixed(2),
        jsonCreateVsCopy: +(copyRun.ms / jsonRun.ms).toFixed(2),
        csvUpdateVsCopy: +(copyRun.ms / csvRun.ms).toFixed(2),
      },
      serverPeakRssMb: { idle: idleRssMb, duringBatches: Math.max(jsonRun.peakRssMb, csvRun.peakRssMb, againRun.peakRssMb), vmHwm: vm(child.pid!, 'VmHWM') },
    };
    const TARGET_RATIO = 0.8; // the goal of docs/BENCHMARKS.md
    const TARGET_RSS_MB = 300;
    const worstRatio = Math.min(results.ratios.jsonCreateVsBareUpsert, results.ratios.csvUpdateVsBareUpsert);
    const pass = worstRatio >= TARGET_RATIO && results.serverPeakRssMb.vmHwm < TARGET_RSS_MB;
    console.log(`\nmeasurement batch, ${n.toLocaleString('en')} rows (${INDICATORS.toLocaleString('en')} indicators x ${PERIODS.length} periods); `
      + 'API = POST /v1/measurements/batch over HTTP to the server in a child process, timed from the client '
      + '(validation, upsert, revisions and audit included); baselines on the same database in the same run:');
    console.table({
      'API JSON batch (create)': { ms: results.apiJsonCreate.ms, 'rows/s': results.apiJsonCreate.rowsPerSec, 'peak RSS MB': Math.round(jsonRun.peakRssMb) },
      'API CSV batch (update)': { ms: results.apiCsvUpdate.ms, 'rows/s': results.apiCsvUpdate.rowsPerSec, 'peak RSS MB': Math.round(csvRun.peakRssMb) },
      'API CSV batch (unchanged)': { ms: results.apiCsvUnchanged.ms, 'rows/s': results.apiCsvUnchanged.rowsPerSec, 'peak RSS MB': Math.round(againRun.peakRssMb) },
      '(a) COPY into bare table': { ms: results.copyBareTable.ms, 'rows/s': results.copyBareTable.rowsPerSec },
      '(b) bare upsert (insert)': { ms: results.bareUpsertInsert.ms, 'rows/s': results.bareUpsertInsert.rowsPerSec },
      '(b) bare upsert (update)': { ms: results.bareUpsertUpdate.ms, 'rows/s': results.bareUpsertUpdate.rowsPerSec },
    });
    console.log('API / baseline (b):', results.ratios.jsonCreateVsBareUpsert, '(JSON, create),', results.ratios.csvUpdateVsBareUpsert, `(CSV, update); target >= ${TARGET_RATIO}`);
    console.log('API / COPY (a):', results.ratios.jsonCreateVsCopy, '(create),', results.ratios.csvUpdateVsCopy, '(update)');
    console.log(`server RSS: idle ${Math.round(idleRssMb)} MB, peak sampled during batches ${Math.round(results.serverPeakRssMb.duringBatches)} MB, `
      + `VmHWM ${Math.round(results.serverPeakRssMb.vmHwm)} MB (target < ${TARGET_RSS_MB} MB)`);
    console.log(`${pass ? 'PASS' : 'FAIL'}: API / bare upsert ${worstRatio} (worst of create and update; target >= ${TARGET_RATIO}), `
      + `server VmHWM ${Math.round(results.serverPeakRssMb.vmHwm)} MB (target < ${TARGET_RSS_MB} MB)`);
    return { ...results, pass };
  } finally {
    await c.end().catch(() => {});
    await stopServer(server);
    await fresh.drop();
  }
}
