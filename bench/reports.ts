/**
 * Report benchmarks on PostgreSQL (a fresh database on DATABASE_URL's server):
 * 1. GET /v1/agencies/{id}/reports/{year} for an agency with 50 objectives and 500 indicators
 *    (four quarters each), under autocannon, against a baseline: the one SQL query that fetches the
 *    same indicator, target and measurement rows, timed with pg. Goal: p50 <= 1.5x baseline.
 * 2. The NDJSON pull of 2,000 agencies x 20 indicators on a warm server (the second pull after a
 *    start): agencies/s, and the server's peak RSS over both pulls (VmHWM). Target: < 300 MB.
 * Run alone with `tsx bench/reports.ts`; `benchReports()` is what `npm run bench` calls.
 */
import { memoryMb, startServer as startBenchServer, stopServer, type BenchServer } from './server.js';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import pg from 'pg';
import { COUNTED_STATUSES } from '../src/modules/reports/compute.js';
import { seedReportData } from './report-seed.js';
import { benchDatabase, REPEAT, fmtSpread, spread, type Spread } from './common.js';

export type ReportsResult = {
  reportP50Ms: Spread; baselineP50Ms: Spread; reportRatio: Spread; loadedRps: Spread;
  ndjsonAgenciesPerSec: Spread; ndjsonPeakRssMb: Spread;
};

const YEAR = 2025;
const ADMIN = { id: 'bench-admin', secret: 'bench-admin-secret-0123456789' };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const startServer = (databaseUrl: string) => startBenchServer({
  DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', SAKIP_BOOTSTRAP_CLIENT_ID: ADMIN.id, SAKIP_BOOTSTRAP_CLIENT_SECRET: ADMIN.secret,
});

async function fetchToken(base: string): Promise<string> {
  const res = await fetch(`${base}/v1/auth/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: ADMIN.id, client_secret: ADMIN.secret }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}


/** The baseline: one query that fetches the report's indicator, target and measurement rows (the
 * measurements that count, as the report reads them). */
const BASELINE_SQL = `
  SELECT i.id, i.code, i.name, i.polarity, i.aggregation, x.kind, x.period, x.value, x.status
  FROM indicators i
  JOIN elements e ON e.id = i.element_id
  JOIN plans p ON p.id = e.plan_id
  JOIN LATERAL (
    SELECT 'm' AS kind, m.period, m.value, m.status FROM measurements m WHERE m.indicator_id = i.id AND m.period = ANY($2) AND m.status = ANY($5)
    UNION ALL
    SELECT 't', t.period, t.value, NULL FROM targets t WHERE t.indicator_id = i.id AND t.period = ANY($3)
  ) x ON true
  WHERE p.agency_id = $1 AND p.start_year <= $4 AND p.end_year >= $4 AND e.level = 'objective'`;

async function baseline(c: pg.Client, agencyId: string, runs: number) {
  const years = [YEAR, YEAR - 1, YEAR - 2];
  const mPeriods = [...years.map(String), ...years.flatMap((y) => [1, 2, 3, 4].map((q) => `${y}Q${q}`))];
  const tPeriods = [`${YEAR}`, `${YEAR}Q1`, `${YEAR}Q2`, `${YEAR}Q3`, `${YEAR}Q4`, `${YEAR - 1}`, `${YEAR - 2}`, `${YEAR + 1}`];
  const params = [agencyId, mPeriods, tPeriods, YEAR, [...COUNTED_STATUSES]];
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

export async function benchReports(): Promise<ReportsResult> {
  const fresh = await benchDatabase();
  const url = new URL(fresh.url);
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
    const body = (await check.json()) as { summary?: { indicators?: number } };
    if (body.summary?.indicators !== 500) throw new Error(`unexpected report: ${JSON.stringify(body).slice(0, 300)}`);
    await cannon(reportUrl, token, 1, 2); // warm-up
    await baseline(c, big.id, 50);
    // Alternating runs of the API (1 connection) and of the bare SQL, REPEAT times.
    const singles: Array<{ rps: number; p50: number; p99: number }> = [];
    const bases: Array<{ p50: number; p99: number; rows: number }> = [];
    for (let i = 0; i < REPEAT; i++) {
      singles.push(await cannon(reportUrl, token, 1, 5));
      bases.push(await baseline(c, big.id, 150));
    }
    const loaded = await cannon(reportUrl, token, 4, 5);

    console.log('reports: seeding 2,000 agencies x 20 indicators ...');
    const { rows: [root] } = await c.query(`
      INSERT INTO agencies (id, code, name, kind, path) SELECT id, 'REGION', 'Provinsi Bench', 'province', ARRAY[id]
      FROM (SELECT gen_random_uuid() AS id) s RETURNING id`);
    await seedReportData(c, { prefix: 'R', agencies: 2000, objectivesPerAgency: 2, indicatorsPerObjective: 10, year: YEAR, parentId: root.id });
    const pulls: Array<{ perSec: number; rss: number; firstByteMs: number; bytes: number }> = [];
    for (let i = 0; i < REPEAT; i++) {
      // A fresh server for each stream, so its peak RSS is the stream's (two pulls), not the load test's.
      await stopServer(server);
      server = await startServer(url.toString());
      const streamToken = await fetchToken(server.base);
      // One pull to warm the server (JIT, pool, plans) as a running service is; the second is timed.
      await pullNdjson(`${server.base}/v1/reports/${YEAR}?parentId=${root.id}`, streamToken);
      const pull = await pullNdjson(`${server.base}/v1/reports/${YEAR}?parentId=${root.id}`, streamToken);
      if (pull.lines !== 2000) throw new Error(`NDJSON gave ${pull.lines} lines, expected 2000`);
      pulls.push({ perSec: 2000 / (pull.totalMs / 1000), rss: memoryMb(server.pid, 'VmHWM'), firstByteMs: pull.firstByteMs, bytes: pull.bytes });
    }
    const result: ReportsResult = {
      reportP50Ms: spread(singles.map((r) => r.p50)), baselineP50Ms: spread(bases.map((b) => b.p50)),
      reportRatio: spread(singles.map((r, i) => r.p50 / bases[i].p50)), loadedRps: spread([loaded.rps]),
      ndjsonAgenciesPerSec: spread(pulls.map((p) => p.perSec)), ndjsonPeakRssMb: spread(pulls.map((p) => p.rss)),
    };
    console.table([
      { measure: 'report 500 ind., 1 conn: p50 ms', value: fmtSpread(result.reportP50Ms, 1) },
      { measure: `baseline SQL (${bases[0].rows} rows): p50 ms`, value: fmtSpread(result.baselineP50Ms, 2) },
      { measure: 'p50 ratio report / baseline (goal <= 1.5)', value: fmtSpread(result.reportRatio) },
      { measure: 'report 500 ind., 4 conn: req/s, p50 / p99 ms', value: `${loaded.rps.toFixed(1)}, ${loaded.p50} / ${loaded.p99}` },
      { measure: 'NDJSON 2,000 agencies: agencies/s (goal >= 1,000)', value: fmtSpread(result.ndjsonAgenciesPerSec, 0) },
      { measure: 'NDJSON first byte ms / MiB', value: `${pulls[0].firstByteMs.toFixed(0)} / ${(pulls[0].bytes / 1048576).toFixed(1)}` },
      { measure: 'NDJSON server peak RSS MB (goal < 300)', value: fmtSpread(result.ndjsonPeakRssMb, 0) },
    ]);
    return result;
  } finally {
    await c.end().catch(() => {});
    if (server) await stopServer(server);
    await fresh.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchReports().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
