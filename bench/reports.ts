/**
 * Report benchmarks on PostgreSQL (a fresh database on DATABASE_URL's server):
 * 1. GET /v1/agencies/{id}/reports/{year} for an agency with 50 objectives and 500 indicators
 *    (four quarters each), under autocannon, against a baseline: the one SQL query that fetches the
 *    same indicator, target and measurement rows, timed with pg. Target: p50 <= 3x baseline.
 * 2. The NDJSON pull of 2,000 agencies x 20 indicators: agencies/s and the server's peak RSS
 *    (VmHWM of the server child process). Target: < 300 MB.
 * Run alone with `tsx bench/reports.ts`; `benchReports()` is what `npm run bench` calls.
 */
import { memoryMb, startServer as startBenchServer, stopServer, type BenchServer } from './server.js';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import pg from 'pg';
import { seedReportData } from './report-seed.js';

const YEAR = 2025;
const ADMIN = { id: 'bench-admin', secret: 'bench-admin-secret-0123456789' };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const mb = (m: number) => `${m.toFixed(0)} MB`;

const startServer = (databaseUrl: string) => startBenchServer({
  DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', SAKIP_BOOTSTRAP_CLIENT_ID: ADMIN.id, SAKIP_BOOTSTRAP_CLIENT_SECRET: ADMIN.secret,
});

async function fetchToken(base: string): Promise<string> {
  const res = await fetch(`${base}/v1/auth/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: ADMIN.id, client_secret: ADMIN.secret }),
  });
  return ((await res.json()) as any).access_token;
}


/** The baseline: one query that fetches the report's indicator, target and measurement rows. */
const BASELINE_SQL = `
  SELECT i.id, i.code, i.name, i.polarity, i.aggregation, x.kind, x.period, x.value, x.status
  FROM indicators i
  JOIN elements e ON e.id = i.element_id
  JOIN plans p ON p.id = e.plan_id
  JOIN LATERAL (
    SELECT 'm' AS kind, m.period, m.value, m.status FROM measurements m WHERE m.indicator_id = i.id AND m.period = ANY($2)
    UNION ALL
    SELECT 't', t.period, t.value, NULL FROM targets t WHERE t.indicator_id = i.id AND t.period = ANY($3)
  ) x ON true
  WHERE p.agency_id = $1 AND p.start_year <= $4 AND p.end_year >= $4 AND e.level = 'objective'`;

async function baseline(c: pg.Client, agencyId: string, runs: number) {
  const years = [YEAR, YEAR - 1, YEAR - 2];
  const mPeriods = [...years.map(String), ...years.flatMap((y) => [1, 2, 3, 4].map((q) => `${y}Q${q}`))];
  const tPeriods = [`${YEAR}`, `${YEAR}Q1`, `${YEAR}Q2`, `${YEAR}Q3`, `${YEAR}Q4`, `${YEAR - 1}`, `${YEAR - 2}`, `${YEAR + 1}`];
  const params = [agencyId, mPeriods, tPeriods, YEAR];
  let rows = 0;
  for (let i = 0; i < 20; i++) await c.query(BASELINE_SQL, params); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    rows = (await c.query(BASELINE_SQL, params)).rowCount ?? 0;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), rows };
}

function pullNdjson(url: string, token: string): Promise<{ lines: number; bytes: number; firstByteMs: number; totalMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let firstByteMs = -1;
    let lines = 0;
    let bytes = 0;
    http.get(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/x-ndjson' } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`NDJSON status ${res.statusCode}`));
      res.on('data', (chunk: Buffer) => {
        if (firstByteMs < 0) firstByteMs = performance.now() - t0;
        bytes += chunk.length;
        for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
      });
      res.on('end', () => resolve({ lines, bytes, firstByteMs, totalMs: performance.now() - t0 }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function cannon(url: string, token: string, connections: number, duration: number) {
  const r = await autocannon({ url, connections, duration, headers: { authorization: `Bearer ${token}` } });
  if (r.non2xx || r.errors) throw new Error(`autocannon: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

export async function benchReports(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const name = `sakip_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let server: BenchServer | undefined;
  const c = new pg.Client({ connectionString: url.toString() });
  try {
    server = await startServer(url.toString()); // migrates the fresh database
    await c.connect();
    const token = await fetchToken(server.base);

    console.log('reports: seeding 1 agency x 50 objectives x 10 indicators ...');
    await seedReportData(c, { prefix: 'BIG', agencies: 1, objectivesPerAgency: 50, indicatorsPerObjective: 10, year: YEAR });
    const { rows: [big] } = await c.query(`SELECT id FROM agencies WHERE code = 'BIG0001'`);
    const reportUrl = `${server.base}/v1/agencies/${big.id}/reports/${YEAR}`;
    const check = await fetch(reportUrl, { headers: { authorization: `Bearer ${token}` } });
    const body = (await check.json()) as any;
    if (body.summary?.indicators !== 500) throw new Error(`unexpected report: ${JSON.stringify(body).slice(0, 300)}`);
    await cannon(reportUrl, token, 1, 2); // warm-up
    const single = await cannon(reportUrl, token, 1, 10);
    const loaded = await cannon(reportUrl, token, 8, 10);
    const base = await baseline(c, big.id, 300);

    console.log('reports: seeding 2,000 agencies x 20 indicators ...');
    const { rows: [root] } = await c.query(`
      INSERT INTO agencies (id, code, name, kind, path) SELECT id, 'REGION', 'Provinsi Bench', 'province', ARRAY[id]
      FROM (SELECT gen_random_uuid() AS id) s RETURNING id`);
    await seedReportData(c, { prefix: 'R', agencies: 2000, objectivesPerAgency: 2, indicatorsPerObjective: 10, year: YEAR, parentId: root.id });
    const reportRss = memoryMb(server.pid, 'VmHWM');
    // A fresh server for the stream, so its peak RSS is the stream's, not the load test's.
    await stopServer(server);
    server = await startServer(url.toString());
    const streamToken = await fetchToken(server.base);
    const rssBefore = memoryMb(server.pid, 'VmHWM');
    const pull = await pullNdjson(`${server.base}/v1/reports/${YEAR}?parentId=${root.id}`, streamToken);
    const rssPeak = memoryMb(server.pid, 'VmHWM');
    if (pull.lines !== 2000) throw new Error(`NDJSON gave ${pull.lines} lines, expected 2000`);

    const ratio = single.p50 / base.p50;
    console.table([
      { measure: 'report 500 ind., 1 conn: req/s', value: single.rps.toFixed(1) },
      { measure: 'report 500 ind., 1 conn: p50 / p99 ms', value: `${single.p50} / ${single.p99}` },
      { measure: 'report 500 ind., 8 conn: req/s', value: loaded.rps.toFixed(1) },
      { measure: 'report 500 ind., 8 conn: p50 / p99 ms', value: `${loaded.p50} / ${loaded.p99}` },
      { measure: `baseline SQL (${base.rows} rows): p50 / p99 ms`, value: `${base.p50.toFixed(2)} / ${base.p99.toFixed(2)}` },
      { measure: 'p50 ratio report / baseline (target <= 3)', value: ratio.toFixed(2) },
      { measure: 'NDJSON 2,000 agencies: agencies/s', value: (2000 / (pull.totalMs / 1000)).toFixed(0) },
      { measure: 'NDJSON first byte / total ms', value: `${pull.firstByteMs.toFixed(0)} / ${pull.totalMs.toFixed(0)}` },
      { measure: 'NDJSON bytes', value: `${(pull.bytes / 1048576).toFixed(1)} MiB` },
      { measure: 'server peak RSS after the report load test', value: mb(reportRss) },
      { measure: 'NDJSON server peak RSS at start / after (target < 300 MB)', value: `${mb(rssBefore)} / ${mb(rssPeak)}` },
    ]);
  } finally {
    await c.end().catch(() => {});
    if (server) await stopServer(server);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchReports().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
