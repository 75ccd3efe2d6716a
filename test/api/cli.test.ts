import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ID, ADMIN_SECRET, uniq, type Json } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
let agency: Json;
let indicators: Json[];
let dir: string;
let creds: string[];
beforeAll(async () => {
  s = await startTestServer();
  creds = ['--url', s.url, '--client-id', ADMIN_ID, '--client-secret', ADMIN_SECRET];
  dir = mkdtempSync(join(tmpdir(), 'sakip-cli-'));
  agency = await s.agency({ code: uniq('CLI'), kind: 'regency' });
  const plan = (await s.admin.post(`/v1/agencies/${agency.id}/plans`, { kind: 'rpjmd', title: 'RPJMD', startYear: 2025, endYear: 2029 })).json();
  const goal = (await s.admin.post(`/v1/plans/${plan.id}/elements`, { level: 'goal', code: 'T1', title: 'Tujuan' })).json();
  const objective = (await s.admin.post(`/v1/plans/${plan.id}/elements`, { level: 'objective', code: 'T1.S1', title: 'Sasaran', parentId: goal.id })).json();
  indicators = [];
  for (const code of ['IKU-01', 'IKU-02']) {
    const res = await s.admin.post(`/v1/elements/${objective.id}/indicators`, {
      code, name: `Indikator ${code}`, type: 'outcome', unit: '%', polarity: 'higher_is_better', aggregation: 'last',
    });
    indicators.push(res.json());
    await s.admin.put(`/v1/indicators/${res.json().id}/targets/2026`, { value: 80 });
  }
});
afterAll(() => s.close());

const measured = async (indicatorId: string, period: string) => (await s.admin.get(`/v1/indicators/${indicatorId}/measurements/${period}`));

describe('sakip import measurements', () => {
  it('stores the good rows, prints and writes the rejected one, and never prints the secret', async () => {
    const file = join(dir, 'q1.csv');
    writeFileSync(file, [
      'agency_code,indicator_code,period,value,note',
      `${agency.code},IKU-01,2026Q1,81.5,pertama`,
      '',
      `${agency.code},NOPE-9,2026Q1,70,"kode, salah"`,
      `${agency.code},IKU-02,2026Q1,77,`,
    ].join('\n'));
    const run = await runCli(['import', 'measurements', file, ...creds]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/3 rows imported: 2 created, 0 updated, 0 unchanged, 1 rejected/);
    expect(run.stdout).toMatch(/^4\s+\S+\s+NOPE-9\s+2026Q1\s+70\s+\S/m); // the file line, the codes and the error
    expect(`${run.stdout}${run.stderr}`).not.toContain(ADMIN_SECRET);

    const rejected = join(dir, 'q1.rejected.csv');
    const lines = readFileSync(rejected, 'utf8').trim().split(/\r\n/);
    expect(lines[0]).toBe('agency_code,indicator_code,period,value,note,error');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${agency.code},NOPE-9,2026Q1,70,"kode, salah",.+`));
    expect((await measured(indicators[0].id, '2026Q1')).json().value).toBe(81.5);
    expect((await measured(indicators[1].id, '2026Q1')).json().value).toBe(77);

    // Fix the code in the rejected file and send it as it is: its error column is left out.
    writeFileSync(rejected, readFileSync(rejected, 'utf8').replace('NOPE-9', 'IKU-01').replace('2026Q1', '2026Q2'));
    const again = await runCli(['import', 'measurements', rejected, ...creds]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/1 rows imported: 1 created/);
    expect((await measured(indicators[0].id, '2026Q2')).json()).toMatchObject({ value: 70, note: 'kode, salah' });
  });

  it('sends large files in chunks with a progress line, mapping rejected rows back to their file lines', async () => {
    const file = join(dir, 'q3.csv');
    writeFileSync(file, `\uFEFFagency_code,indicator_code,period,value\r\n${agency.code},IKU-01,2026Q3,90\r\n${agency.code},IKU-02,2026Q5,1\r\n${agency.code},IKU-02,2026Q3,91\r\n`);
    const run = await runCli(['import', 'measurements', file, '--chunk-rows', '1', ...creds]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/3\/3 rows \(100%\)/);
    expect(run.stdout).toMatch(/^3\s+\S+\s+IKU-02\s+2026Q5/m);
    expect(readFileSync(join(dir, 'q3.rejected.csv'), 'utf8')).toMatch(/^\uFEFFagency_code,indicator_code,period,value,error\r\n.+,IKU-02,2026Q5,1,/);
    expect((await measured(indicators[1].id, '2026Q3')).json().value).toBe(91);
  });

  it('writes nothing on --dry-run, nor with --atomic when a row is rejected', async () => {
    const file = join(dir, 'q4.csv');
    writeFileSync(file, `agency_code,indicator_code,period,value\n${agency.code},IKU-01,2026Q4,95\n${agency.code},NOPE,2026Q4,1\n`);
    const dry = await runCli(['import', 'measurements', file, '--dry-run', ...creds]);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toMatch(/dry run, nothing written/);
    const atomic = await runCli(['import', 'measurements', file, '--atomic', ...creds]);
    expect(atomic.code).toBe(1);
    expect(atomic.stdout).toMatch(/nothing written/);
    expect((await measured(indicators[0].id, '2026Q4')).statusCode).toBe(404);
  });

  it('explains wrong usage (exit 2) and a refused request (exit 3)', async () => {
    expect((await runCli(['import', 'targets', 'x.csv'])).code).toBe(2);
    const missing = await runCli(['import', 'measurements', join(dir, 'q1.csv'), '--url', s.url, '--client-id', ADMIN_ID, '--client-secret', 'not-the-secret-4711']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/401/);
    expect(missing.stderr).not.toContain('not-the-secret-4711');
  });
});

describe('sakip report', () => {
  it('finds the agency by code and writes the report as JSON or CSV', async () => {
    const env = { SAKIP_URL: s.url, SAKIP_CLIENT_ID: ADMIN_ID, SAKIP_CLIENT_SECRET: ADMIN_SECRET };
    const json = await runCli(['report', agency.code, '2026'], env);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ agency: { code: agency.code }, year: 2026 });
    const out = join(dir, 'lkjip.csv');
    const csv = await runCli(['report', agency.code, '2026', '--format', 'csv', '--out', out], env);
    expect(csv.code, csv.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/IKU-01/);
    const unknown = await runCli(['report', 'NO-SUCH-CODE', '2026'], env);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/No agency with code NO-SUCH-CODE/);
  });
});

describe('sakip seed --demo', () => {
  it('loads the demo region over HTTP, once', async () => {
    const env = { SAKIP_URL: s.url, SAKIP_CLIENT_ID: ADMIN_ID, SAKIP_CLIENT_SECRET: ADMIN_SECRET };
    const run = await runCli(['seed', '--demo'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Demo region loaded/);
    const regency = (await s.admin.get('/v1/agencies?code=3299')).json().data[0];
    expect(regency).toMatchObject({ name: 'Kabupaten Sukamaju', kind: 'regency' });
    const departments = (await s.admin.get(`/v1/agencies?parentId=${regency.id}&limit=100`)).json().data;
    expect(departments.length).toBeGreaterThanOrEqual(3);
    const again = await runCli(['seed', '--demo'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already exists/);
    expect(existsSync(join(dir, 'q1.csv'))).toBe(true);
  });
});
