import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { readFileSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { seedReportData } from '../../bench/report-seed.js';
import { ADMIN_ID, ADMIN_SECRET, Client, testConfig, token } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { recordQueries, seqScans, type RecordedQuery } from '../helpers/sql-recorder.js';

/** Tables that grow with the country: a sequential scan of any of them on a request path is a bug. */
const LARGE = new Set(['agencies', 'indicators', 'measurements', 'targets', 'measurement_revisions', 'audit_log', 'events']);
const YEAR = 2025;
const PROVINCES = 20;
/** The changes feed is checked where the build has one (a module registering GET /v1/changes). */
const modulesDir = new URL('../../src/modules/', import.meta.url);
const HAS_CHANGES_FEED = readdirSync(modulesDir, { recursive: true, encoding: 'utf8' })
  .some((f) => f.endsWith('routes.ts') && readFileSync(new URL(f, modulesDir), 'utf8').includes("'/v1/changes'"));

/**
 * Seeds 20 provinces x 25 departments x 20 indicators (10,000 indicators, 80,000 targets and
 * 80,000 measurements, revisions and audit rows for them) set-based, calls the endpoints of the
 * national-scale paths for one province and one department while recording their SQL, then
 * EXPLAINs every recorded statement: none may scan a large table sequentially (sequential scans
 * priced out, so the plans say whether an index can serve each scan, whatever the seeded size).
 */
describe.runIf(!!process.env.DATABASE_URL)('every query on the national-scale paths uses an index', () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;
  let admin: Client;
  let c: pg.Client;
  let province: string;
  let department: { id: string; code: string };
  let indicator: { id: string; code: string };

  beforeAll(async () => {
    fresh = await freshDatabase();
    app = await buildApp({ config: testConfig(), database: fresh.database, logger: false });
    await app.ready();
    admin = new Client(app, await token(app, ADMIN_ID, ADMIN_SECRET));
    c = new pg.Client({ connectionString: fresh.url });
    await c.connect();
    // The planner rightly prefers a sequential scan of a table of a few hundred pages; with
    // sequential scans priced out, one still shows only where no index can serve the scan, which is
    // what must not happen on these paths at the size of the country.
    await c.query('SET enable_seqscan = off');
    for (let p = 1; p <= PROVINCES; p++) {
      const { rows: [prov] } = await c.query(`INSERT INTO agencies (id, code, name, kind, path)
        SELECT id, $1, 'Provinsi ' || $1, 'province', ARRAY[id] FROM (SELECT gen_random_uuid() AS id) s RETURNING id`, [`PROV${p}`]);
      await seedReportData(c, { prefix: `P${String(p).padStart(2, '0')}D`, agencies: 100, objectivesPerAgency: 1, indicatorsPerObjective: 5, year: YEAR, parentId: prov.id, skipAnalyze: true });
      if (p === 7) province = prov.id;
    }
    // History the write paths look things up in.
    await c.query(`INSERT INTO measurement_revisions (indicator_id, period, revision, value, status, changed_by)
      SELECT indicator_id, period, 1, value, status, 'seed' FROM measurements`);
    await c.query(`INSERT INTO audit_log (actor, action, entity_type, entity_id, agency_id, after)
      SELECT 'seed', 'measurement.create', 'measurement', indicator_id || '/' || period, agency_id, '{}'::jsonb FROM measurements`);
    await c.query('ANALYZE');
    ({ rows: [department] } = await c.query(`SELECT id, code FROM agencies WHERE code = 'P07D0003'`));
    ({ rows: [indicator] } = await c.query(`SELECT id, code FROM indicators WHERE agency_id = $1 ORDER BY code LIMIT 1`, [department.id]));
  }, 180_000);

  afterAll(async () => {
    await c?.end();
    await app?.close();
    await fresh?.dispose();
  });

  async function explainAll(recorded: RecordedQuery[]): Promise<Array<{ sql: string; tables: string[] }>> {
    const bad: Array<{ sql: string; tables: string[] }> = [];
    const dml = recorded.filter((q) => /^\s*(select|with|insert|update|delete)\b/i.test(q.text));
    expect(dml.length).toBeGreaterThan(0);
    for (const q of dml) {
      const { rows: [row] } = await c.query(`EXPLAIN (FORMAT JSON) ${q.text}`, q.values as unknown[]);
      const tables = seqScans(row['QUERY PLAN'][0].Plan, LARGE);
      if (tables.length) bad.push({ sql: q.text.replace(/\s+/g, ' ').slice(0, 400), tables });
    }
    return bad;
  }

  const ok = (res: { statusCode: number; body: string }) => expect(res.statusCode, res.body.slice(0, 300)).toBe(200);

  it('report of a department', async () => {
    const recorded = await recordQueries(async () => ok(await admin.get(`/v1/agencies/${department.id}/reports/${YEAR}`)));
    expect(await explainAll(recorded)).toEqual([]);
  });

  it('region-wide pulls of a province (JSON page and NDJSON)', async () => {
    const recorded = await recordQueries(async () => {
      ok(await admin.get(`/v1/reports/${YEAR}?parentId=${province}&limit=50`));
      const nd = await admin.get(`/v1/reports/${YEAR}?parentId=${province}`, { accept: 'application/x-ndjson' });
      ok(nd);
      expect(nd.body.trim().split('\n').length).toBe(100);
    });
    expect(await explainAll(recorded)).toEqual([]);
  });

  it('completeness and ranking of a province', async () => {
    const recorded = await recordQueries(async () => {
      ok(await admin.get(`/v1/reports/${YEAR}/completeness?parentId=${province}&period=${YEAR}Q1`));
      ok(await admin.get(`/v1/reports/${YEAR}/ranking?parentId=${province}`));
    });
    expect(await explainAll(recorded)).toEqual([]);
  });

  it('a measurement batch (natural keys and ids, creates and updates)', async () => {
    const recorded = await recordQueries(async () => {
      const res = await admin.post('/v1/measurements/batch', { items: [
        { agencyCode: department.code, indicatorCode: indicator.code, period: `${YEAR}Q3`, value: 12.5 },
        { indicatorId: indicator.id, period: `${YEAR}Q4`, value: 7 },
        { indicatorId: indicator.id, period: `${YEAR + 1}Q1`, value: 3, note: 'baru' },
      ] });
      ok(res);
    });
    expect(await explainAll(recorded)).toEqual([]);
  });

  it.runIf(HAS_CHANGES_FEED)('the changes feed', async () => {
    const recorded = await recordQueries(async () => ok(await admin.get('/v1/changes?limit=100')));
    expect(await explainAll(recorded)).toEqual([]);
  });
});
