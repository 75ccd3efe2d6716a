/**
 * `npm run bench -- national`: a synthetic country seeded set-based into PostgreSQL (a national
 * root, 38 provinces, regencies and departments with 40 indicators each, their plans, targets,
 * budgets and two years of quarterly measurements), measured at 1x, 3x and 10x a stated fraction of
 * the real size. Point work (a department's report, a 50,000-row batch) should stay flat as the
 * country grows; region pulls (a province's NDJSON, completeness, ranking) grow with the rows they
 * return. BENCH_NATIONAL_FRACTION (default 0.01) sets 1x.
 */
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { seedReportData } from './report-seed.js';
import { startServer, stopServer } from './server.js';
import { ADMIN, benchDatabase, fetchToken, fmt, percentile } from './common.js';

const YEAR = 2025;
const COUNTRY = { provinces: 38, regencies: 514, departments: 16_000, indicatorsPerDepartment: 40 };
const FRACTION = Number(process.env.BENCH_NATIONAL_FRACTION ?? 0.01);
const SIZES = [1, 3, 10];
const BATCH_ROWS = 50_000;

export type NationalRow = {
  size: number; departments: number; indicators: number; measurements: number; seedSeconds: number;
  reportP50: number; pullAgencies: number; pullMs: number; completenessMs: number; rankingMs: number;
  batchMs: number; changesMs: number | null;
};

/** Adds `regencies` regencies (spread over the provinces) and `departments` departments (spread
 * over all regencies), each department with a full report's worth of data. */
async function growCountry(c: pg.Client, step: number, regencies: number, departments: number): Promise<void> {
  if (regencies > 0) await c.query(`
    INSERT INTO agencies (id, code, name, kind, parent_id, path)
    SELECT s.id, 'N${step}R' || lpad(s.n::text, 4, '0'), 'Kabupaten ' || s.n, 'regency', p.id, p.path || s.id
    FROM (SELECT gen_random_uuid() AS id, n FROM generate_series(1, $1::int) n) s
    JOIN (SELECT id, path, row_number() OVER (ORDER BY code) - 1 AS k FROM agencies WHERE kind = 'province') p
      ON p.k = (s.n - 1) % ${COUNTRY.provinces}`, [regencies]);
  await c.query(`
    INSERT INTO agencies (id, code, name, kind, parent_id, path)
    SELECT s.id, 'N${step}D' || lpad(s.n::text, 5, '0'), 'Dinas ' || s.n, 'department', r.id, r.path || s.id
    FROM (SELECT gen_random_uuid() AS id, n FROM generate_series(1, $1::int) n) s
    JOIN (SELECT id, path, row_number() OVER (ORDER BY code) - 1 AS k FROM agencies WHERE kind = 'regency') r
      ON r.k = (s.n - 1) % (SELECT count(*) FROM agencies WHERE kind = 'regency')`, [departments]);
  await seedReportData(c, {
    prefix: `N${step}D`, agencies: departments, objectivesPerAgency: 4, indicatorsPerObjective: COUNTRY.indicatorsPerDepartment / 4,
    year: YEAR, existingAgencies: true, skipAnalyze: true,
  });
  await c.query('ANALYZE');
}

/** A department of its own for each size's batch: 2,000 indicators x 25 periods = 50,000 new rows. */
async function batchBody(c: pg.Client, step: number): Promise<string> {
  const { rows: [agency] } = await c.query(`INSERT INTO agencies (id, code, name, kind, path)
    SELECT id, 'BATCH${step}', 'Dinas Batch', 'department', ARRAY[id] FROM (SELECT gen_random_uuid() AS id) s RETURNING id`);
  const { rows: [plan] } = await c.query(`INSERT INTO plans (id, agency_id, kind, title, start_year, end_year)
    VALUES (gen_random_uuid(), $1, 'renstra', 'Renstra batch', 2020, 2029) RETURNING id`, [agency.id]);
  const { rows: [el] } = await c.query(`INSERT INTO elements (id, plan_id, agency_id, level, code, title)
    VALUES (gen_random_uuid(), $1, $2, 'objective', 'S.1', 'Sasaran') RETURNING id`, [plan.id, agency.id]);
  const { rows: inds } = await c.query(`INSERT INTO indicators (id, element_id, plan_id, agency_id, code, name, type, unit, polarity, aggregation)
    SELECT gen_random_uuid(), $1, $2, $3, 'IK' || lpad(n::text, 5, '0'), 'Indikator ' || n, 'output', '%', 'higher_is_better', 'last'
    FROM generate_series(1, 2000) n RETURNING id`, [el.id, plan.id, agency.id]);
  const periods = [2020, 2021, 2022, 2023, 2024].flatMap((y) => [String(y), `${y}Q1`, `${y}Q2`, `${y}Q3`, `${y}Q4`]);
  const items = inds.flatMap((ind: { id: string }, i: number) => periods.map((period, p) => ({ indicatorId: ind.id, period, value: ((i + p) % 100) + 0.5 })));
  return JSON.stringify({ items: items.slice(0, BATCH_ROWS) });
}

function pull(url: string, token: string): Promise<{ lines: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let lines = 0;
    http.get(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/x-ndjson' } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`NDJSON status ${res.statusCode}`));
      res.on('data', (chunk: Buffer) => { for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++; });
      res.on('end', () => resolve({ lines, ms: performance.now() - t0 }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function timedGet(url: string, token: string, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    await res.arrayBuffer();
    if (i > 0) times.push(performance.now() - t0); // the first is a warm-up
  }
  return percentile(times.sort((a, b) => a - b), 50);
}

export async function benchNational(): Promise<{ fraction: number; rows: NationalRow[] }> {
  const db = await benchDatabase();
  let server = await startServer({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', SAKIP_BOOTSTRAP_CLIENT_ID: ADMIN.id, SAKIP_BOOTSTRAP_CLIENT_SECRET: ADMIN.secret, BATCH_BODY_LIMIT_BYTES: String(256 * 1_048_576) });
  const c = new pg.Client({ connectionString: db.url });
  const rows: NationalRow[] = [];
  try {
    await c.connect();
    const token = await fetchToken(server.base);
    console.log(`national: 1x = ${FRACTION * 100}% of the country (${COUNTRY.provinces} provinces always; regencies, departments and their data scaled); sizes ${SIZES.join('x, ')}x`);
    const { rows: [root] } = await c.query(`INSERT INTO agencies (id, code, name, kind, path)
      SELECT id, 'NASIONAL', 'Republik Indonesia', 'ministry', ARRAY[id] FROM (SELECT gen_random_uuid() AS id) s RETURNING id`);
    await c.query(`INSERT INTO agencies (id, code, name, kind, parent_id, path)
      SELECT s.id, 'PROV' || lpad(n::text, 2, '0'), 'Provinsi ' || n, 'province', $1::uuid, ARRAY[$1::uuid, s.id]
      FROM (SELECT gen_random_uuid() AS id, n FROM generate_series(1, ${COUNTRY.provinces}) n) s`, [root.id]);
    const { rows: [province] } = await c.query(`SELECT id FROM agencies WHERE code = 'PROV01'`);
    // A region-wide pull is what a client scoped to the province gets: every agency below it.
    const created = await (await fetch(`${server.base}/v1/clients`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Provinsi 1 viewer', role: 'viewer', agencyId: province.id }),
    })).json() as { clientId: string; clientSecret: string };
    const provinceToken = await fetchToken(server.base, created.clientId, created.clientSecret);

    let done = 0;
    for (const [step, size] of SIZES.entries()) {
      const scale = size * FRACTION;
      const regencies = Math.max(COUNTRY.provinces, Math.round(COUNTRY.regencies * scale));
      const departments = Math.round(COUNTRY.departments * scale);
      const t0 = performance.now();
      const prevRegencies = done === 0 ? 0 : Math.max(COUNTRY.provinces, Math.round(COUNTRY.regencies * done * FRACTION));
      await growCountry(c, step, regencies - prevRegencies, departments - Math.round(COUNTRY.departments * done * FRACTION));
      done = size;
      const seedSeconds = (performance.now() - t0) / 1000;
      const body = await batchBody(c, step);
      const { rows: [counts] } = await c.query(`SELECT (SELECT count(*) FROM agencies WHERE kind = 'department') AS d,
        (SELECT count(*) FROM indicators) AS i, (SELECT count(*) FROM measurements) AS m`);
      const { rows: [dept] } = await c.query(`SELECT a.id FROM agencies a WHERE a.code = 'N0D00001'`);
      await c.query('CHECKPOINT');
      // A fresh server per size: caches and memory start equal.
      await stopServer(server);
      server = await startServer({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', BATCH_BODY_LIMIT_BYTES: String(256 * 1_048_576) });

      const reportP50 = await timedGet(`${server.base}/v1/agencies/${dept.id}/reports/${YEAR}`, token, 20);
      const pulled = await pull(`${server.base}/v1/reports/${YEAR}`, provinceToken);
      const completenessMs = await timedGet(`${server.base}/v1/reports/${YEAR}/completeness?parentId=${province.id}&period=${YEAR}Q1`, token, 3);
      const rankingMs = await timedGet(`${server.base}/v1/reports/${YEAR}/ranking?parentId=${province.id}`, token, 3);
      const b0 = performance.now();
      const batch = await fetch(`${server.base}/v1/measurements/batch`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
      const batchText = await batch.text();
      if (batch.status !== 200) throw new Error(`batch: ${batch.status} ${batchText.slice(0, 300)}`);
      const batchMs = performance.now() - b0;
      // After the batch, so every size has events to page through (the seed writes no audit rows).
      const changesProbe = await fetch(`${server.base}/v1/changes?limit=100`, { headers: { authorization: `Bearer ${token}` } });
      await changesProbe.arrayBuffer();
      const changesMs = changesProbe.status === 200 ? await timedGet(`${server.base}/v1/changes?limit=500`, token, 5) : null;
      const row: NationalRow = {
        size, departments: Number(counts.d), indicators: Number(counts.i), measurements: Number(counts.m), seedSeconds,
        reportP50, pullAgencies: pulled.lines, pullMs: pulled.ms, completenessMs, rankingMs, batchMs, changesMs,
      };
      rows.push(row);
      console.log(`national ${size}x: ${row.departments} departments, ${row.indicators} indicators, ${row.measurements} measurements (seeded in ${fmt(seedSeconds, 1)} s); `
        + `report p50 ${fmt(reportP50, 1)} ms; province pull ${pulled.lines} agencies in ${fmt(pulled.ms, 0)} ms; completeness ${fmt(completenessMs, 0)} ms; `
        + `ranking ${fmt(rankingMs, 0)} ms; batch ${BATCH_ROWS} rows ${fmt(batchMs, 0)} ms; changes ${changesMs === null ? 'skipped (no /v1/changes here)' : `${fmt(changesMs, 0)} ms`}`);
    }
    const first = rows[0];
    console.log('\ngrowth relative to 1x (flat = 1.0 for point work; pulls should follow the rows they return):');
    console.table(Object.fromEntries(rows.map((r) => [`${r.size}x`, {
      departments: r.departments, 'report p50': fmt(r.reportP50 / first.reportP50), 'pull agencies': r.pullAgencies,
      'pull time': fmt(r.pullMs / first.pullMs), completeness: fmt(r.completenessMs / first.completenessMs),
      ranking: fmt(r.rankingMs / first.rankingMs), 'batch 50k': fmt(r.batchMs / first.batchMs),
      changes: r.changesMs === null || first.changesMs === null ? 'skipped' : fmt(r.changesMs / first.changesMs),
    }])));
    return { fraction: FRACTION, rows };
  } finally {
    await c.end().catch(() => {});
    await stopServer(server);
    await db.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchNational().catch((err) => { console.error(err); process.exit(1); });
}
