import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { twoAppsOnOneDatabase, type Client, type TwoApps } from '../helpers/app.js';
import { reportFixtures } from '../helpers/report-fixtures.js';

const INDICATORS = 30;
const ROUNDS = 5;
const QUARTERS = ['2025Q1', '2025Q2', '2025Q3', '2025Q4'];

const withoutTime = (r: Record<string, unknown>) => ({ ...r, generatedAt: undefined });

/**
 * Two API processes (two app instances, two pools) on one PostgreSQL database. Four writers put
 * measurements while the report is submitted: after the submission the year is locked, so the
 * live report must equal the signed snapshot, and no write that started after the submission
 * answered may land. A submission that skipped the lock protocol lets writes that checked the
 * lock before it committed land after its snapshot was computed.
 */
describe.runIf(!!process.env.DATABASE_URL)('report submission racing writers on two processes', () => {
  let two: TwoApps;
  let apps: FastifyInstance[];
  let admins: Client[];
  let agencyId: string;
  let indicatorIds: string[];

  beforeAll(async () => {
    two = await twoAppsOnOneDatabase(8);
    ({ apps, admins } = two);
    const agency = (await admins[0].post('/v1/agencies', { code: 'BALAPAN', name: 'Dinas Balapan', kind: 'department' })).json();
    agencyId = agency.id;
    const fx = reportFixtures(apps[0].db);
    const plan = await fx.plan(agencyId, { startYear: 2025, endYear: 2029 });
    const objective = await fx.element(plan, { level: 'objective', code: 'S1' });
    indicatorIds = [];
    for (let i = 0; i < INDICATORS; i++) {
      const ind = await fx.indicator(objective, { code: `IK-${i}`, aggregation: 'sum' });
      await fx.targets(ind.id, { 2025: 100, '2025Q1': 25, '2025Q2': 25, '2025Q3': 25, '2025Q4': 25 });
      indicatorIds.push(ind.id);
    }
  });
  afterAll(async () => {
    await two?.close();
  });

  it(`keeps the live report equal to the signed snapshot over ${ROUNDS} rounds`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const unlock = await admins[round % 2].delete(`/v1/agencies/${agencyId}/locks/2025`);
      expect([204, 404]).toContain(unlock.statusCode);

      let submittedAt = Infinity; // when the submission's answer arrived
      const lateAcks: string[] = [];
      let stop = false;
      const writer = async (w: number) => {
        const client = admins[w % 2];
        for (let n = 0; !stop; n++) {
          const ind = indicatorIds[(w * 7 + n * 3 + round) % INDICATORS];
          const period = QUARTERS[(n + w) % 4];
          const startedAt = performance.now();
          const res = await client.put(`/v1/indicators/${ind}/measurements/${period}`, { value: round * 1000 + w * 100 + (n % 100) });
          if (res.statusCode === 409) expect(res.json().type).toBe('/problems/period-locked');
          else expect(res.statusCode).toBeLessThan(300);
          if (res.statusCode < 300 && startedAt > submittedAt) lateAcks.push(`${ind}/${period}`);
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      await new Promise((r) => setTimeout(r, 40 + round * 15));
      const sub = await admins[round % 2].post(`/v1/agencies/${agencyId}/reports/2025/submissions`);
      submittedAt = performance.now();
      expect(sub.statusCode).toBe(201);
      // Let the writers run into the lock for a while, then stop them.
      await new Promise((r) => setTimeout(r, 60));
      stop = true;
      await Promise.all(writers);

      expect(lateAcks).toEqual([]);
      const { version } = sub.json();
      const snapshot = (await admins[0].get(`/v1/agencies/${agencyId}/reports/2025/submissions/${version}`)).json().report;
      const live = (await admins[1].get(`/v1/agencies/${agencyId}/reports/2025`)).json();
      expect(withoutTime(live)).toEqual(withoutTime(snapshot));
    }
  });
});
