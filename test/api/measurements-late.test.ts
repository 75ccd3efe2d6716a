import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { connectPg } from '../../src/db/client.js';
import { ADMIN_ID, ADMIN_SECRET, Client, testConfig, token } from '../helpers/app.js';
import { createServerDatabase } from '../helpers/db.js';
import { planFixture, type PlanFixture } from '../helpers/measurement-fixtures.js';

/** The rare race of the batch write: another writer creates the measurement after the batch's
 * snapshot and commits while the batch waits for it. The batch's revision must still name the
 * other writer's value as its previous value, and the audit its state as `before`. */
describe.runIf(!!process.env.DATABASE_URL)('measurement batch: a row created concurrently', () => {
  let created: Awaited<ReturnType<typeof createServerDatabase>>;
  let app: FastifyInstance;
  let admin: Client;
  let fx: PlanFixture;
  let other: pg.Client;

  beforeAll(async () => {
    created = await createServerDatabase();
    app = await buildApp({ config: testConfig(), database: connectPg(created.url, 5), logger: false });
    await app.ready();
    admin = new Client(app, await token(app, ADMIN_ID, ADMIN_SECRET));
    const agency = (await admin.post('/v1/agencies', { code: 'BALAPAN', name: 'Dinas Balapan', kind: 'department' })).json();
    fx = await planFixture({ app }, agency, { count: 2 });
    other = new pg.Client({ connectionString: created.url });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await app?.close();
    await app?.database.close();
    await created?.drop();
  });

  it('records the previous value written by the other writer', async () => {
    const [ind] = fx.indicators;
    await other.query('BEGIN');
    await other.query(`INSERT INTO measurements (indicator_id, period, agency_id, value, updated_by) VALUES ($1, '2025Q1', $2, 5, 'other')`, [ind.id, fx.agencyId]);
    await other.query(`INSERT INTO measurement_revisions (indicator_id, period, revision, value, status, changed_by) VALUES ($1, '2025Q1', 1, 5, 'submitted', 'other')`, [ind.id]);
    const pending = admin.post('/v1/measurements/batch', { items: [
      { indicatorId: ind.id, period: '2025Q1', value: 7 },
      { indicatorId: fx.indicators[1].id, period: '2025Q1', value: 1 },
    ] });
    // Commit once the batch waits for this transaction's row.
    for (let i = 0; i < 100; i++) {
      const { rows } = await other.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      if (rows[0].n > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await other.query('COMMIT');
    const res = await pending;
    expect(res.statusCode).toBe(200);
    expect(res.json().results.map((r: any) => r.status)).toEqual(['updated', 'created']);
    const history = (await admin.get(`/v1/indicators/${ind.id}/measurements/2025Q1/history`)).json().data;
    expect(history.map((r: any) => [r.revision, r.value, r.previousValue])).toEqual([[1, 5, null], [2, 7, 5]]);
    const audit = (await admin.get(`/v1/audit?entityType=measurement&entityId=${ind.id}/2025Q1`)).json().data;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'measurement.update', before: { value: 5, revision: 1 }, after: { value: 7, revision: 2 } });
    expect((await admin.get(`/v1/audit?entityType=measurement&entityId=${fx.indicators[1].id}/2025Q1`)).json().data).toHaveLength(1);
  });
});
