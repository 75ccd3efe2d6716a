/**
 * Printing benchmark on PostgreSQL (a fresh database on DATABASE_URL's server): the LKjIP of an
 * agency with 50 objectives and 500 indicators as PDF and as HTML, end to end over HTTP (compute,
 * render, send), against the compiled server. Target: PDF under 5 s. Prints the times and the
 * PDF's size and page count.
 * Run alone with `tsx bench/printing.ts`; `benchPrinting()` is what `npm run bench` calls.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { seedReportData } from './report-seed.js';
import { startServer, stopServer, type BenchServer } from './server.js';
import { benchDatabase } from './common.js';

const YEAR = 2025;
const ADMIN = { id: 'bench-admin', secret: 'bench-admin-secret-0123456789' };
const RUNS = 5;

async function timed(url: string, token: string, accept: string) {
  const times: number[] = [];
  let bytes = Buffer.alloc(0);
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept } });
    if (res.status !== 200) throw new Error(`${accept}: status ${res.status} ${await res.text()}`);
    bytes = Buffer.from(await res.arrayBuffer());
    if (i > 0) times.push(performance.now() - t0); // the first run warms the process up
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], max: times[times.length - 1], bytes };
}

export async function benchPrinting(): Promise<void> {
  const fresh = await benchDatabase();
  const url = new URL(fresh.url);
  let server: BenchServer | undefined;
  const c = new pg.Client({ connectionString: url.toString() });
  try {
    server = await startServer({
      DATABASE_URL: url.toString(), LOG_LEVEL: 'silent', SAKIP_BOOTSTRAP_CLIENT_ID: ADMIN.id, SAKIP_BOOTSTRAP_CLIENT_SECRET: ADMIN.secret,
    });
    await c.connect();
    const tokenRes = await fetch(`${server.base}/v1/auth/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: ADMIN.id, client_secret: ADMIN.secret }),
    });
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;

    console.log('printing: seeding 1 agency x 50 objectives x 10 indicators ...');
    await seedReportData(c, { prefix: 'PRT', agencies: 1, objectivesPerAgency: 50, indicatorsPerObjective: 10, year: YEAR });
    const { rows: [agency] } = await c.query(`SELECT id FROM agencies WHERE code = 'PRT0001'`);
    const reportUrl = `${server.base}/v1/agencies/${agency.id}/reports/${YEAR}`;

    const json = await timed(reportUrl, token, 'application/json');
    const indicators = JSON.parse(json.bytes.toString('utf8')).summary.indicators;
    if (indicators !== 500) throw new Error(`expected 500 indicators, got ${indicators}`);
    const html = await timed(reportUrl, token, 'text/html');
    const pdf = await timed(reportUrl, token, 'application/pdf');
    if (pdf.bytes.subarray(0, 5).toString() !== '%PDF-') throw new Error('not a PDF');
    const pages = (pdf.bytes.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

    console.table([
      { measure: 'report 500 ind. JSON: median / max ms', value: `${json.median.toFixed(0)} / ${json.max.toFixed(0)}` },
      { measure: 'report 500 ind. HTML: median / max ms', value: `${html.median.toFixed(0)} / ${html.max.toFixed(0)} (${(html.bytes.length / 1024).toFixed(0)} KiB)` },
      { measure: 'report 500 ind. PDF: median / max ms (target < 5000)', value: `${pdf.median.toFixed(0)} / ${pdf.max.toFixed(0)}` },
      { measure: 'PDF size / pages', value: `${(pdf.bytes.length / 1024).toFixed(0)} KiB / ${pages}` },
    ]);
    if (pdf.max >= 5000) console.log('printing: the 500-indicator PDF took 5 s or more: over target');
  } finally {
    await c.end().catch(() => {});
    if (server) await stopServer(server);
    await fresh.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchPrinting().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
