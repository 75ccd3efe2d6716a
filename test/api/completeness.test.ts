import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measurementRevisions, measurements } from '../../src/db/schema/index.js';
import { createTestApp, type Json, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/planning.js';
import { reportFixtures } from '../helpers/report-fixtures.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

type Status = 'submitted' | 'verified' | 'returned';
/** A measurement whose first revision was recorded at `firstAt` (UTC), written straight to the tables. */
async function measured(ind: { id: string; agencyId: string }, period: string, status: Status, firstAt: string, laterAt?: string) {
  const db = t.database.db;
  await db.insert(measurements).values({ indicatorId: ind.id, agencyId: ind.agencyId, period, value: '10', status, revision: laterAt ? 2 : 1, updatedBy: 'fixture' });
  await db.insert(measurementRevisions).values([
    { indicatorId: ind.id, period, revision: 1, value: '10', status: 'submitted', changedAt: new Date(firstAt), changedBy: 'fixture' },
    ...(laterAt ? [{ indicatorId: ind.id, period, revision: 2, value: '10', previousValue: '10', status, changedAt: new Date(laterAt), changedBy: 'fixture' }] : []),
  ]);
}

describe('schedules', () => {
  it('answers the defaults for a year never set, and only admins set one', async () => {
    const viewer = await t.as('viewer', (await t.agency()).id);
    const res = await viewer.get('/v1/schedules/2027');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      year: 2027, isDefault: true,
      measurementDue: { Q1: '2027-04-15', Q2: '2027-07-15', Q3: '2027-10-15', Q4: '2028-01-15' },
      reportDue: { regional: '2028-03-31', central: '2028-02-29' },
    });
    const body = { measurementDue: { Q1: '2027-04-20', Q2: '2027-07-20', Q3: '2027-10-20', Q4: '2028-01-20' }, reportDue: { regional: '2028-03-31', central: '2028-02-28' } };
    expectProblem(await viewer.put('/v1/schedules/2027', body), 403, 'forbidden');
    expectProblem(await (await t.as('evaluator')).put('/v1/schedules/2027', body), 403, 'forbidden');
    const bad = await t.admin.put('/v1/schedules/2027', { ...body, reportDue: { regional: '2028-02-30', central: '2028-02-28' } });
    expectProblem(bad, 400, 'validation');
    expect(bad.json().errors[0].path).toBe('reportDue.regional');
    expectProblem(await t.admin.put('/v1/schedules/2027', { measurementDue: body.measurementDue }), 400, 'validation');
    expect((await viewer.get('/v1/schedules/2027')).json().isDefault).toBe(true);

    const put = await t.admin.put('/v1/schedules/2027', body);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ ...body, year: 2027, isDefault: false });
    const got = await viewer.get('/v1/schedules/2027');
    expect(got.json()).toEqual(put.json());
    expectProblem(await t.admin.put('/v1/schedules/2027', body, { 'if-match': '"stale"' }), 412, 'precondition-failed');
    expect((await t.admin.put('/v1/schedules/2027', body, { 'if-match': got.headers.etag as string })).statusCode).toBe(200);
    const audit = await t.admin.get('/v1/audit?entityType=schedule&entityId=2027');
    expect(audit.json().data.map((a: Json) => a.action)).toEqual(['schedule.update', 'schedule.update']);
  });
});

describe('completeness and timeliness of a region', () => {
  let region: Json; let d1: Json; let d2: Json; let d3: Json;
  beforeAll(async () => {
    const f = reportFixtures(t.database.db);
    region = await t.agency({ kind: 'regency', name: 'Kabupaten Lengkap' });
    d1 = await t.agency({ parentId: region.id, code: `CMP1${Date.now()}` });
    d2 = await t.agency({ parentId: region.id, code: `CMP2${Date.now()}` });
    d3 = await t.agency({ parentId: region.id, code: `CMP3${Date.now()}` }); // no plan: nothing expected

    const plan1 = await f.plan(d1.id, { startYear: 2025, endYear: 2029 });
    const old1 = await f.plan(d1.id, { startYear: 2020, endYear: 2024 });
    const obj1 = await f.element(plan1, { level: 'objective', code: 'S1' });
    const prog1 = await f.element(plan1, { level: 'program', code: 'P1', parentId: obj1.id });
    const i1 = await f.indicator(obj1, { code: 'I1' });
    const i2 = await f.indicator(prog1, { code: 'I2' }); // any level of the plan is expected
    const i3 = await f.indicator(obj1, { code: 'I3' });
    const i4 = await f.indicator(obj1, { code: 'I4' });
    const i5 = await f.indicator(await f.element(old1, { level: 'objective', code: 'S0' }), { code: 'I5' }); // plan ends 2024
    // Q1 2025 is due on 2025-04-15 (WIB): 2025-04-15T16:59:59Z is 23:59:59 WIB that day.
    await measured(i1, '2025Q1', 'submitted', '2025-04-15T16:59:59Z', '2025-05-01T00:00:00Z'); // on time (a later revision does not matter)
    await measured(i2, '2025Q1', 'verified', '2025-04-15T17:00:00Z'); // 00:00:00 WIB the next day: late
    await measured(i3, '2025Q1', 'returned', '2025-04-01T00:00:00Z'); // returned: not reported
    await measured(i4, '2025Q2', 'submitted', '2025-07-01T00:00:00Z'); // another quarter
    await measured(i5, '2025Q1', 'submitted', '2025-04-01T00:00:00Z'); // not expected, not counted
    await measured(i1, '2025', 'submitted', '2026-01-15T16:59:59Z'); // annual, due with Q4 on 2026-01-15
    await measured(i2, '2025', 'submitted', '2026-01-15T17:00:00Z');

    const plan2 = await f.plan(d2.id, { startYear: 2021, endYear: 2025 });
    const obj2 = await f.element(plan2, { level: 'objective', code: 'S1' });
    const j1 = await f.indicator(obj2, { code: 'J1' });
    await f.indicator(obj2, { code: 'J2' });
    await f.indicator(obj2, { code: 'J3' });
    await measured(j1, '2025Q1', 'submitted', '2025-03-31T10:00:00Z');
  });

  const url = (q: string) => `/v1/reports/2025/completeness?${q}`;

  it('counts expected, reported and on time per agency, exact at midnight WIB', async () => {
    const evaluator = await t.as('evaluator', region.id);
    const res = await evaluator.get(url(`period=2025Q1&parentId=${region.id}`));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      year: 2025, period: '2025Q1', dueDate: '2025-04-15', dueEnd: '2025-04-15T17:00:00.000Z',
      agencies: [
        // 4 expected, 2 reported, 1 on time: 2/4 = 50.00, 1/4 = 25.00
        { agencyId: d1.id, code: d1.code, name: d1.name, expected: 4, reported: 2, onTime: 1, completeness: 50, timeliness: 25 },
        // 1/3 = 33.33
        { agencyId: d2.id, code: d2.code, name: d2.name, expected: 3, reported: 1, onTime: 1, completeness: 33.33, timeliness: 33.33 },
        { agencyId: d3.id, code: d3.code, name: d3.name, expected: 0, reported: 0, onTime: 0, completeness: null, timeliness: null },
      ],
    });
  });

  it('takes the due date from the year\'s schedule', async () => {
    await t.admin.put('/v1/schedules/2025', {
      measurementDue: { Q1: '2025-04-16', Q2: '2025-06-30', Q3: '2025-10-15', Q4: '2026-01-14' }, reportDue: { regional: '2026-03-31', central: '2026-02-28' },
    });
    const q1 = (await t.admin.get(url(`period=2025Q1&parentId=${region.id}`))).json();
    expect(q1.dueDate).toBe('2025-04-16');
    expect(q1.agencies[0]).toMatchObject({ reported: 2, onTime: 2, timeliness: 50 });
    // Q2: i4 recorded 2025-07-01 07:00 WIB, after the 2025-06-30 due date
    const q2 = (await t.admin.get(url(`period=2025Q2&parentId=${region.id}`))).json();
    expect(q2.agencies[0]).toMatchObject({ expected: 4, reported: 1, onTime: 0, completeness: 25, timeliness: 0 });
    // The year: annual measurements, due with Q4 (2026-01-14 now: both late)
    const year = (await t.admin.get(url(`parentId=${region.id}`))).json();
    expect(year).toMatchObject({ period: '2025', dueDate: '2026-01-14' });
    expect(year.agencies[0]).toMatchObject({ expected: 4, reported: 2, onTime: 0 });
    await t.admin.put('/v1/schedules/2025', {
      measurementDue: { Q1: '2025-04-15', Q2: '2025-07-15', Q3: '2025-10-15', Q4: '2026-01-15' }, reportDue: { regional: '2026-03-31', central: '2026-02-28' },
    });
    expect((await t.admin.get(url(`period=2025&parentId=${region.id}`))).json().agencies[0]).toMatchObject({ reported: 2, onTime: 1, timeliness: 25 });
  });

  it('filters by scope and refuses periods of another year', async () => {
    const op = await t.as('operator', d2.id);
    const mine = (await op.get(url('period=2025Q1'))).json();
    expect(mine.agencies.map((a: Json) => a.agencyId)).toEqual([d2.id]);
    expectProblem(await op.get(url(`period=2025Q1&parentId=${region.id}`)), 404, 'not-found');
    expectProblem(await t.admin.get(url('period=2026Q1')), 400, 'validation');
    expectProblem(await t.admin.get(url('period=2025Q5')), 400, 'validation');
  });

  it('says in the submissions listing whether the LKjIP was on time', async () => {
    const sub = await t.admin.post(`/v1/agencies/${d1.id}/reports/2025/submissions`);
    expect(sub.statusCode, sub.body).toBe(201);
    const submittedAt = new Date(sub.json().submittedAt);
    const list = async () => (await t.admin.get(`/v1/agencies/${d1.id}/reports/2025/submissions`)).json().data[0];
    // Regional (a department of a regency): due 2026-03-31 unless the schedule says otherwise.
    expect(await list()).toMatchObject({ version: 1, dueDate: '2026-03-31', onTime: submittedAt < new Date('2026-03-31T17:00:00Z') });
    // A due date on the submission's own day (WIB) is met; the day before is not.
    const wib = new Date(submittedAt.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
    const dayBefore = new Date(Date.parse(`${wib}T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);
    const schedule = (regional: string) => t.admin.put('/v1/schedules/2025', {
      measurementDue: { Q1: '2025-04-15', Q2: '2025-07-15', Q3: '2025-10-15', Q4: '2026-01-15' }, reportDue: { regional, central: '2026-02-28' },
    });
    await schedule(wib);
    expect(await list()).toMatchObject({ dueDate: wib, onTime: true });
    await schedule(dayBefore);
    expect(await list()).toMatchObject({ dueDate: dayBefore, onTime: false });
  });

  it('gives ministries and their units the central due date', async () => {
    const ministry = await t.agency({ kind: 'ministry', name: 'Kementerian Uji' });
    const unit = await t.agency({ kind: 'unit', parentId: ministry.id });
    await t.admin.post(`/v1/agencies/${unit.id}/reports/2024/submissions`);
    const item = (await t.admin.get(`/v1/agencies/${unit.id}/reports/2024/submissions`)).json().data[0];
    expect(item).toMatchObject({ dueDate: '2025-02-28' });
  });
});
