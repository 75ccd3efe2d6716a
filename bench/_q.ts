import pg from 'pg';
import { connectPg } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { reportRepository } from '../src/modules/reports/repository.js';
import { assembleReports } from '../src/modules/reports/compute.js';
import { seedReportData } from './report-seed.js';
const name = 'sakip_prof_keep';
const url = `postgres://postgres@127.0.0.1:5432/${name}`;
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
await admin.connect();
const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount;
const database = connectPg(url);
const c = new pg.Client({ connectionString: url });
if (!exists) {
  await admin.query(`CREATE DATABASE ${name}`);
  await migrate(database);
  await c.connect();
  await seedReportData(c, { prefix: 'R', agencies: 2000, objectivesPerAgency: 2, indicatorsPerObjective: 10, year: 2025 });
} else await c.connect();
await admin.end();
const { rows: ags } = await c.query(`SELECT id, code, name, kind, path FROM agencies ORDER BY id LIMIT 50`);
const repo = reportRepository(database.db);
for (let k = 0; k < 5; k++) {
  const t0 = performance.now();
  const rows = await repo.load(ags.map((a: any) => a.id), 2025);
  const t1 = performance.now();
  const reps = assembleReports(ags, rows, 2025, 'x');
  const t2 = performance.now();
  const s = reps.map((r) => JSON.stringify(r)).join('\n');
  console.log({ load: (t1 - t0).toFixed(1), compute: (t2 - t1).toFixed(1), json: (performance.now() - t2).toFixed(1), bytes: s.length });
}
await c.end(); await database.close();
