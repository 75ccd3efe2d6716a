/** SQL for the printable Perjanjian Kinerja: one agreement version with its items and budget lines
 * joined to the indicators' and elements' codes and titles. */
import { sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../../db/client.js';

export type AgreementVersionRow = { version: number; status: 'draft' | 'signed'; signedBy: string | null; signedAt: string | null; createdAt: string };
export type AgreementItemRow = {
  indicatorId: string; code: string; name: string; unit: string; objectiveCode: string; objectiveTitle: string;
  /** the agreement_items row as JSON: reads `target`, and `target_min`/`target_max` where ranges exist */
  item: Record<string, unknown>;
};
export type AgreementBudgetRow = { elementId: string; code: string; title: string; level: string; amount: string };

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

export const documentRepository = {
  /** The given version, or the latest when `version` is undefined. */
  async agreementVersion(db: DbOrTx, agencyId: string, year: number, version?: number): Promise<AgreementVersionRow | null> {
    const rows = await queryRows<{ version: number; status: 'draft' | 'signed'; signed_by: string | null; signed_at: unknown; created_at: unknown }>(db, sql`
      SELECT version, status, signed_by, signed_at, created_at FROM agreements
      WHERE agency_id = ${agencyId} AND year = ${year} ${version === undefined ? sql`` : sql`AND version = ${version}`}
      ORDER BY version DESC LIMIT 1`);
    const r = rows[0];
    return r ? { version: Number(r.version), status: r.status, signedBy: r.signed_by, signedAt: iso(r.signed_at), createdAt: iso(r.created_at)! } : null;
  },

  async agreementItems(db: DbOrTx, agencyId: string, year: number, version: number): Promise<AgreementItemRow[]> {
    const rows = await queryRows<{ indicator_id: string; code: string; name: string; unit: string; objective_code: string; objective_title: string; item: unknown }>(db, sql`
      SELECT ai.indicator_id, i.code, i.name, i.unit, e.code AS objective_code, e.title AS objective_title, to_jsonb(ai) AS item
      FROM agreement_items ai
      JOIN indicators i ON i.id = ai.indicator_id
      JOIN elements e ON e.id = i.element_id
      WHERE ai.agency_id = ${agencyId} AND ai.year = ${year} AND ai.version = ${version}`);
    return rows.map((r) => ({
      indicatorId: r.indicator_id, code: r.code, name: r.name, unit: r.unit, objectiveCode: r.objective_code, objectiveTitle: r.objective_title,
      item: (typeof r.item === 'string' ? JSON.parse(r.item) : r.item) as Record<string, unknown>,
    }));
  },

  async agreementBudget(db: DbOrTx, agencyId: string, year: number, version: number): Promise<AgreementBudgetRow[]> {
    const rows = await queryRows<{ element_id: string; code: string; title: string; level: string; amount: string }>(db, sql`
      SELECT ab.element_id, e.code, e.title, e.level, ab.amount::text AS amount
      FROM agreement_budget ab JOIN elements e ON e.id = ab.element_id
      WHERE ab.agency_id = ${agencyId} AND ab.year = ${year} AND ab.version = ${version}`);
    return rows.map((r) => ({ elementId: r.element_id, code: r.code, title: r.title, level: r.level, amount: r.amount }));
  },
};
