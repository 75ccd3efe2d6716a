import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { ADMIN_ID, ADMIN_SECRET, Client, testConfig, token } from '../helpers/app.js';
import { caughtUp, postgresBinDir, sqlAt, startPrimaryAndStandby, type ReplicaPair } from '../helpers/replica.js';
import { reportFixtures } from '../helpers/report-fixtures.js';

/**
 * DATABASE_READ_URL against a real streaming replica: region-wide pulls read the standby, single
 * reports and writes the primary. With the standby's replay paused, a new measurement shows in the
 * agency's report (primary) and not yet in the region's pull (standby); once replay resumes the
 * pull shows it too.
 */
describe.runIf(!!process.env.DATABASE_URL && !!postgresBinDir())('a read replica serves the region-wide pulls', () => {
  let pair: ReplicaPair;
  let app: FastifyInstance;
  let admin: Client;

  beforeAll(async () => {
    pair = await startPrimaryAndStandby();
    app = await buildApp({ config: testConfig({ DATABASE_URL: pair.primaryUrl, DATABASE_READ_URL: pair.standbyUrl }), logger: false });
    await app.ready();
    admin = new Client(app, await token(app, ADMIN_ID, ADMIN_SECRET));
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    pair?.stop();
  });

  it('pulls from the standby, reads single reports from the primary', async () => {
    const agency = (await admin.post('/v1/agencies', { code: 'REPLIKA', name: 'Dinas Replika', kind: 'department' })).json();
    const fx = reportFixtures(app.db);
    const plan = await fx.plan(agency.id, { startYear: 2025, endYear: 2029 });
    const objective = await fx.element(plan, { level: 'objective', code: 'S1' });
    const ind = await fx.indicator(objective, { code: 'IK-1', aggregation: 'sum' });
    await fx.targets(ind.id, { 2025: 100 });
    await caughtUp(pair);

    const realization = async (url: string) => {
      const res = await admin.get(url);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      const report = 'data' in body ? body.data.find((r: { agency: { id: string } }) => r.agency.id === agency.id) : body;
      return report.objectives[0].indicators[0].realization;
    };
    expect(await realization('/v1/reports/2025')).toBeNull();

    await sqlAt(pair.standbyUrl, 'SELECT pg_wal_replay_pause()');
    const put = await admin.put(`/v1/indicators/${ind.id}/measurements/2025Q1`, { value: 40 });
    expect(put.statusCode).toBe(201);
    expect(await realization(`/v1/agencies/${agency.id}/reports/2025`)).toBe(40);
    expect(await realization('/v1/reports/2025')).toBeNull();
    const ndjson = await admin.get('/v1/reports/2025', { accept: 'application/x-ndjson' });
    expect(JSON.parse(ndjson.body.trim().split('\n')[0]).objectives[0].indicators[0].realization).toBeNull();

    await sqlAt(pair.standbyUrl, 'SELECT pg_wal_replay_resume()');
    await caughtUp(pair);
    expect(await realization('/v1/reports/2025')).toBe(40);
  });
});
