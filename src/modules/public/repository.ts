/** SQL for publication: only report_submissions rows are read, so nothing unsubmitted is reachable. */
import { sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../../db/client.js';

export type PublishedMeta = { agencyCode: string; agencyName: string; year: number; version: number; digest: string; submittedAt: string };
export type Published = PublishedMeta & { jws: string; snapshot: unknown };

const iso = (v: unknown) => new Date(v as string).toISOString();
type MetaRow = { agency_code: string; agency_name: string; year: number; version: number; digest: string; submitted_at: unknown };
const toMeta = (r: MetaRow): PublishedMeta => ({
  agencyCode: r.agency_code, agencyName: r.agency_name, year: Number(r.year), version: Number(r.version), digest: r.digest, submittedAt: iso(r.submitted_at),
});

export const publicRepository = {
  /**
   * The latest submitted version of each agency-year, newest year first, then by agency code;
   * keyset after (year, code); `limit + 1` rows.
   */
  async listLatest(db: DbOrTx, f: { year?: number; agencyCode?: string; after?: { year: number; code: string }; limit: number }): Promise<PublishedMeta[]> {
    const rows = await queryRows<MetaRow>(db, sql`
      SELECT * FROM (
        SELECT DISTINCT ON (rs.agency_id, rs.year)
          a.code AS agency_code, a.name AS agency_name, rs.year, rs.version, rs.digest, rs.submitted_at
        FROM report_submissions rs JOIN agencies a ON a.id = rs.agency_id
        WHERE true
          ${f.year === undefined ? sql`` : sql`AND rs.year = ${f.year}`}
          ${f.agencyCode === undefined ? sql`` : sql`AND a.code = ${f.agencyCode}`}
        ORDER BY rs.agency_id, rs.year, rs.version DESC
      ) latest
      WHERE true ${f.after ? sql`AND (latest.year < ${f.after.year} OR (latest.year = ${f.after.year} AND latest.agency_code > ${f.after.code}))` : sql``}
      ORDER BY latest.year DESC, latest.agency_code ASC
      LIMIT ${f.limit + 1}`);
    return rows.map(toMeta);
  },

  /** The latest submitted version of an agency (by code) and year, or null. */
  async latest(db: DbOrTx, agencyCode: string, year: number): Promise<Published | null> {
    const rows = await queryRows<MetaRow & { jws: string; snapshot: unknown }>(db, sql`
      SELECT a.code AS agency_code, a.name AS agency_name, rs.year, rs.version, rs.digest, rs.submitted_at, rs.jws, rs.snapshot
      FROM report_submissions rs JOIN agencies a ON a.id = rs.agency_id
      WHERE a.code = ${agencyCode} AND rs.year = ${year}
      ORDER BY rs.version DESC LIMIT 1`);
    const r = rows[0];
    if (!r) return null;
    return { ...toMeta(r), jws: r.jws, snapshot: typeof r.snapshot === 'string' ? JSON.parse(r.snapshot) : r.snapshot };
  },
};
