import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { lockedPeriodOf } from '../../src/db/errors.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { reportFixtures } from '../helpers/report-fixtures.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

/** The database refuses changes to a locked period by itself, whatever path writes them. */
describe('the database guards locked periods', () => {
  it('refuses measurements, targets, budgets and agreements of a locked year written behind the gate\'s back', async () => {
    const agency = await t.agency();
    const fx = reportFixtures(t.app.db);
    const plan = await fx.plan(agency.id, { startYear: 2025, endYear: 2026 });
    const objective = await fx.element(plan, { level: 'objective', code: 'S1' });
    const ind = await fx.indicator(objective, { code: 'IK-1' });
    await fx.measurements(ind, [{ period: '2025Q1', value: 1 }]);
    expect((await t.admin.put(`/v1/agencies/${agency.id}/locks/2025`, {})).statusCode).toBe(201);

    const refused = async (write: () => Promise<unknown>) => {
      const err = await write().then(() => null, (e: unknown) => e);
      expect(err, 'the write went through').not.toBeNull();
      expect(lockedPeriodOf(err)).toMatch(/^2025(Q[1-4])?$/);
    };
    await refused(() => fx.measurements(ind, [{ period: '2025Q2', value: 5 }]));
    await refused(() => t.app.db.execute(sql`UPDATE measurements SET value = 2 WHERE indicator_id = ${ind.id} AND period = '2025Q1'`));
    await refused(() => fx.targets(ind.id, { '2025Q3': 10 }));
    await refused(() => fx.budget(objective.id, 2025, 100, 50));
    await refused(() => fx.agreement(agency.id, 2025, 1, 'draft', []));

    // The API refuses first, with the same problem.
    const put = await t.admin.put(`/v1/indicators/${ind.id}/measurements/2025Q1`, { value: 3 });
    expect(put.statusCode).toBe(409);
    expect(put.json().type).toBe('/problems/period-locked');
    // An open year is untouched by the guard.
    await fx.measurements(ind, [{ period: '2026Q2', value: 3 }]);
    await fx.targets(ind.id, { 2026: 10 });
    await fx.budget(objective.id, 2026, 100, 50);
  });
});
