/**
 * Set-based seeding of report data straight into PostgreSQL (generate_series), so benchmarks can
 * build thousands of agencies and indicators in seconds.
 */
import type pg from 'pg';

export type SeedShape = {
  /** agency codes are `${prefix}0001` ... */
  prefix: string;
  agencies: number;
  objectivesPerAgency: number;
  indicatorsPerObjective: number;
  parentId?: string;
  year: number;
  /** The agencies (codes starting with prefix) exist already; seed only their data. */
  existingAgencies?: boolean;
  /** Leave ANALYZE to the caller (seeding many groups in a row). */
  skipAnalyze?: boolean;
};

/** Seeds agencies, a Renstra (year-4 .. year+1) each, a goal, objectives with two programs and
 * two activities each (budgets on all of them), indicators with targets for the year, its
 * quarters, the two previous years and the plan end, and measurements for eight quarters. */
export async function seedReportData(c: pg.Client, s: SeedShape): Promise<void> {
  const y = s.year;
  const mine = `a.code LIKE '${s.prefix}%'`;
  await c.query('BEGIN');
  if (!s.existingAgencies) await c.query(`
    INSERT INTO agencies (id, code, name, kind, parent_id, path)
    SELECT id, $1 || lpad(n::text, 4, '0'), 'Dinas ' || n, 'department', $3::uuid,
           CASE WHEN $3::uuid IS NULL THEN ARRAY[id] ELSE ARRAY[$3::uuid, id] END
    FROM (SELECT gen_random_uuid() AS id, n FROM generate_series(1, $2::int) n) s`, [s.prefix, s.agencies, s.parentId ?? null]);
  await c.query(`
    INSERT INTO plans (id, agency_id, kind, title, start_year, end_year)
    SELECT gen_random_uuid(), a.id, 'renstra', 'Renstra ' || a.code, $1::int - 4, $1::int + 1 FROM agencies a WHERE ${mine}`, [y]);
  await c.query(`
    INSERT INTO elements (id, plan_id, agency_id, level, code, title)
    SELECT gen_random_uuid(), p.id, a.id, 'goal', 'T.1', 'Tujuan' FROM plans p JOIN agencies a ON a.id = p.agency_id WHERE ${mine}`);
  await c.query(`
    INSERT INTO elements (id, plan_id, agency_id, parent_id, level, code, title)
    SELECT gen_random_uuid(), g.plan_id, g.agency_id, g.id, 'objective', 'S.' || k, 'Sasaran strategis ' || k
    FROM elements g JOIN agencies a ON a.id = g.agency_id, generate_series(1, $1::int) k
    WHERE ${mine} AND g.level = 'goal'`, [s.objectivesPerAgency]);
  for (const [level, parent, child] of [['program', 'objective', 'P'], ['activity', 'program', 'K']] as const) {
    await c.query(`
      INSERT INTO elements (id, plan_id, agency_id, parent_id, level, code, title)
      SELECT gen_random_uuid(), e.plan_id, e.agency_id, e.id, '${level}', e.code || '.${child}' || k, '${level} ' || e.code || '.' || k
      FROM elements e JOIN agencies a ON a.id = e.agency_id, generate_series(1, 2) k
      WHERE ${mine} AND e.level = '${parent}'`);
  }
  await c.query(`
    INSERT INTO budgets (element_id, year, allocated, realized, updated_by)
    SELECT e.id, $1::int, 1000000 + (random() * 1000000)::int, (random() * 1000000)::int, 'bench'
    FROM elements e JOIN agencies a ON a.id = e.agency_id WHERE ${mine} AND e.level IN ('program', 'activity')`, [y]);
  await c.query(`
    INSERT INTO indicators (id, element_id, plan_id, agency_id, code, name, type, unit, polarity, aggregation, is_key)
    SELECT gen_random_uuid(), e.id, e.plan_id, e.agency_id, 'IK.' || e.code || '.' || k, 'Indikator ' || e.code || '.' || k, 'outcome', '%',
           CASE WHEN k % 4 = 0 THEN 'lower_is_better' ELSE 'higher_is_better' END,
           (ARRAY['sum', 'last', 'average'])[1 + k % 3], k = 1
    FROM elements e JOIN agencies a ON a.id = e.agency_id, generate_series(1, $1::int) k
    WHERE ${mine} AND e.level = 'objective'`, [s.indicatorsPerObjective]);
  const targetPeriods = [`${y}`, `${y}Q1`, `${y}Q2`, `${y}Q3`, `${y}Q4`, `${y - 1}`, `${y - 2}`, `${y + 1}`];
  await c.query(`
    INSERT INTO targets (indicator_id, period, value, updated_by)
    SELECT i.id, per, round((10 + random() * 90)::numeric, 2), 'bench'
    FROM indicators i JOIN agencies a ON a.id = i.agency_id, unnest($1::text[]) per WHERE ${mine}`, [targetPeriods]);
  const quarters = [y, y - 1].flatMap((yy) => [1, 2, 3, 4].map((q) => `${yy}Q${q}`));
  await c.query(`
    INSERT INTO measurements (indicator_id, period, agency_id, value, status, updated_by)
    SELECT i.id, per, i.agency_id, round((random() * 100)::numeric, 4),
           (ARRAY['submitted', 'verified', 'verified', 'returned'])[1 + floor(random() * 4)::int], 'bench'
    FROM indicators i JOIN agencies a ON a.id = i.agency_id, unnest($1::text[]) per WHERE ${mine}`, [quarters]);
  await c.query(`
    INSERT INTO agreements (agency_id, year, version, status, signed_by, signed_at)
    SELECT a.id, $1::int, 1, 'signed', 'Kepala', now() FROM agencies a WHERE ${mine}`, [y]);
  await c.query(`
    INSERT INTO agreement_items (agency_id, year, version, indicator_id, target)
    SELECT i.agency_id, $1::int, 1, i.id, 50 FROM indicators i JOIN agencies a ON a.id = i.agency_id
    WHERE ${mine} AND i.is_key`, [y]);
  await c.query('COMMIT');
  if (!s.skipAnalyze) await c.query('ANALYZE');
}
