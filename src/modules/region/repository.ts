import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../../db/client.js';
import { agencies, indicators, measurementRevisions, measurements, plans } from '../../db/schema/index.js';
import { countedMeasurement, type ReportAgency } from '../reports/repository.js';

export type CompletenessRow = {
  agencyId: string; code: string; name: string; expected: number; reported: number; onTime: number;
};

export const regionRepository = (db: DbOrTx) => ({
  /** Every agency matching `filter` (scope and region), in one query. */
  async agencies(filter: SQL | undefined, tx: DbOrTx = db): Promise<ReportAgency[]> {
    return queryRows<ReportAgency>(tx, sql`
      SELECT id, code, name, kind, path FROM ${agencies} ${filter ? sql`WHERE ${filter}` : sql``} ORDER BY code`);
  },

  /**
   * Completeness counts of every agency matching `filter` for one period, in one query: expected =
   * indicators whose plan covers the year; reported = those with a counted (submitted or verified)
   * measurement for the period; on time = reported ones whose first revision was recorded before
   * `dueEnd` (the measurement's creation time stands in where no revision 1 is kept).
   */
  async completeness(filter: SQL | undefined, year: number, period: string, dueEnd: Date, tx: DbOrTx = db): Promise<CompletenessRow[]> {
    const rows = await queryRows<{ agencyId: string; code: string; name: string; expected: string; reported: string; onTime: string }>(tx, sql`
      WITH region AS (SELECT id, code, name FROM ${agencies} ${filter ? sql`WHERE ${filter}` : sql``}),
      expected AS (
        SELECT i.id, i.agency_id FROM ${indicators} i JOIN ${plans} p ON p.id = i.plan_id
        WHERE i.agency_id IN (SELECT id FROM region) AND p.start_year <= ${year} AND p.end_year >= ${year}
      )
      SELECT r.id AS "agencyId", r.code, r.name,
             count(e.id) AS expected,
             count(m.indicator_id) AS reported,
             count(m.indicator_id) FILTER (WHERE coalesce(rev.changed_at, m.created_at) < ${dueEnd.toISOString()}::timestamptz) AS "onTime"
      FROM region r
      LEFT JOIN expected e ON e.agency_id = r.id
      LEFT JOIN ${measurements} m ON m.indicator_id = e.id AND m.period = ${period} AND ${countedMeasurement(sql`m.status`)}
      LEFT JOIN ${measurementRevisions} rev ON rev.indicator_id = m.indicator_id AND rev.period = m.period AND rev.revision = 1
      GROUP BY r.id, r.code, r.name
      ORDER BY r.code`);
    return rows.map((r) => ({ ...r, expected: Number(r.expected), reported: Number(r.reported), onTime: Number(r.onTime) }));
  },
});
