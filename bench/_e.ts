import pg from 'pg';
import { connectPg } from '../src/db/client.js';
import { reportRepository } from '../src/modules/reports/repository.js';
const url = `postgres://postgres@127.0.0.1:5432/sakip_prof_keep`;
const captured: Array<{ text: string; values: unknown[] }> = [];
const orig = pg.Client.prototype.query as any;
(pg.Client.prototype as any).query = function (q: any, v: any, cb: any) {
  if (typeof q === "object" && q.text) captured.push({ text: q.text, values: q.values ?? v });
  return orig.call(this, q, v, cb);
};
const database = connectPg(url);
const c = new pg.Client({ connectionString: url }); await c.connect();
captured.length = 0;
const { rows: ags } = await orig.call(c, `SELECT id FROM agencies ORDER BY id LIMIT 50`);
captured.length = 0;
await reportRepository(database.db).load(ags.map((a: any) => a.id), 2025);
for (const q of captured) {
  const { rows } = await orig.call(c, { text: 'EXPLAIN (ANALYZE, BUFFERS off) ' + q.text, values: q.values });
  console.log('----', q.text.slice(0, 200));
  console.log(rows.map((r: any) => r['QUERY PLAN']).join('\n'));
}
await c.end(); await database.close();
