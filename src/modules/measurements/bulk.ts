import { sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../../db/client.js';
import type { Actor } from '../../http/access.js';

/** Set-based statements of the measurement batch: a fixed number of statements per chunk,
 * never one per row. Arrays go in as parameters and are `unnest`ed (no 65,535-parameter limit). */

export type ResolvedIndicator = {
  id: string; code: string; agency_id: string; agency_code: string; start_year: number; end_year: number; in_scope: boolean;
};

/** Every indicator named by id or by (agencyCode, indicatorCode), in one query. */
export async function resolveIndicators(tx: DbOrTx, ids: string[], pairs: Array<[string, string]>, scopeAgencyId: string | null) {
  const scope = scopeAgencyId === null ? sql`true` : sql`${scopeAgencyId}::uuid = ANY(a.path)`;
  return queryRows<ResolvedIndicator>(tx, sql`
    SELECT i.id, i.code, i.agency_id, a.code AS agency_code, p.start_year, p.end_year, ${scope} AS in_scope
    FROM indicators i JOIN agencies a ON a.id = i.agency_id JOIN plans p ON p.id = i.plan_id
    WHERE i.id = ANY(${sql.param(ids)}::uuid[])
    UNION
    SELECT i.id, i.code, i.agency_id, a.code AS agency_code, p.start_year, p.end_year, ${scope} AS in_scope
    FROM unnest(${sql.param(pairs.map((p) => p[0]))}::text[], ${sql.param(pairs.map((p) => p[1]))}::text[]) AS k(agency_code, indicator_code)
    JOIN agencies a ON a.code = k.agency_code
    JOIN indicators i ON i.agency_id = a.id AND i.code = k.indicator_code
    JOIN plans p ON p.id = i.plan_id`);
}

export type WriteRow = { indicatorId: string; agencyId: string; period: string; value: string; note: string | null };

const columns = (rows: WriteRow[]) => ({
  ids: sql.param(rows.map((r) => r.indicatorId)),
  periods: sql.param(rows.map((r) => r.period)),
  agencies: sql.param(rows.map((r) => r.agencyId)),
  values: sql.param(rows.map((r) => r.value)),
  notes: sql.param(rows.map((r) => r.note)),
});

/** Dry run: which rows would be created (no row) or changed (value or note differ). */
export async function compareExisting(tx: DbOrTx, rows: WriteRow[]) {
  const c = columns(rows);
  return queryRows<{ indicator_id: string; period: string; exists: boolean; changed: boolean }>(tx, sql`
    SELECT u.indicator_id, u.period, m.indicator_id IS NOT NULL AS exists,
      (m.value IS DISTINCT FROM u.value OR m.note IS DISTINCT FROM u.note) AS changed
    FROM unnest(${c.ids}::uuid[], ${c.periods}::text[], ${c.values}::numeric[], ${c.notes}::text[]) AS u(indicator_id, period, value, note)
    LEFT JOIN measurements m ON m.indicator_id = u.indicator_id AND m.period = u.period`);
}

export type Upserted = {
  indicator_id: string; period: string; agency_id: string; revision: number; value: string; note: string | null; status: string; inserted: boolean;
};

/**
 * One statement per chunk. Rows must be sorted by (indicatorId, period) so that two writers take
 * row locks in the same order (no deadlock). A conflicting row is updated only when its value or
 * note differs; `revision = old + 1` is computed under the row lock, so concurrent writers of the
 * same rows produce one revision per real change. Unchanged rows are not returned.
 */
export async function upsertChunk(tx: DbOrTx, rows: WriteRow[], actor: Actor): Promise<Upserted[]> {
  const c = columns(rows);
  return queryRows<Upserted>(tx, sql`
    INSERT INTO measurements AS m (indicator_id, period, agency_id, value, note, status, revision, updated_by, created_at, updated_at)
    SELECT u.indicator_id, u.period, u.agency_id, u.value, u.note, 'submitted', 1, ${actor.clientId}, now(), now()
    FROM unnest(${c.ids}::uuid[], ${c.periods}::text[], ${c.agencies}::uuid[], ${c.values}::numeric[], ${c.notes}::text[])
      AS u(indicator_id, period, agency_id, value, note)
    ON CONFLICT (indicator_id, period) DO UPDATE SET
      value = EXCLUDED.value,
      note = EXCLUDED.note,
      status = CASE WHEN m.value IS DISTINCT FROM EXCLUDED.value THEN 'submitted' ELSE m.status END,
      verification_comment = CASE WHEN m.value IS DISTINCT FROM EXCLUDED.value THEN NULL ELSE m.verification_comment END,
      revision = m.revision + 1,
      updated_by = EXCLUDED.updated_by,
      updated_at = now()
    WHERE m.value IS DISTINCT FROM EXCLUDED.value OR m.note IS DISTINCT FROM EXCLUDED.note
    RETURNING m.indicator_id, m.period, m.agency_id, m.revision, m.value::text AS value, m.note, m.status, (m.xmax = 0) AS inserted`);
}

/**
 * The revision rows and audit rows of the changed measurements, in one statement. Runs after
 * `upsertChunk` as a separate statement: it then sees the previous revision of every row, even one
 * committed by a concurrent writer that this transaction waited for.
 */
export async function recordChanges(tx: DbOrTx, changed: Upserted[], actor: Actor): Promise<void> {
  if (!changed.length) return;
  const p = <K extends keyof Upserted>(k: K) => sql.param(changed.map((r) => r[k]));
  await tx.execute(sql`
    WITH u AS (
      SELECT * FROM unnest(${p('indicator_id')}::uuid[], ${p('period')}::text[], ${p('agency_id')}::uuid[],
        ${p('revision')}::int[], ${p('value')}::numeric[], ${p('note')}::text[], ${p('status')}::text[])
        AS u(indicator_id, period, agency_id, revision, value, note, status)
    ), prev AS (
      SELECT u.*, r.value AS prev_value, r.note AS prev_note, r.status AS prev_status
      FROM u LEFT JOIN measurement_revisions r
        ON r.indicator_id = u.indicator_id AND r.period = u.period AND r.revision = u.revision - 1
    ), revisions AS (
      INSERT INTO measurement_revisions (indicator_id, period, revision, value, previous_value, status, note, changed_at, changed_by)
      SELECT indicator_id, period, revision, value, prev_value, status, note, now(), ${actor.clientId} FROM prev
      RETURNING 1
    )
    INSERT INTO audit_log (actor, action, entity_type, entity_id, agency_id, before, after, request_id)
    SELECT ${actor.clientId},
      CASE WHEN revision = 1 THEN 'measurement.create' ELSE 'measurement.update' END,
      'measurement', indicator_id::text || '/' || period, agency_id,
      CASE WHEN revision = 1 THEN NULL
        ELSE jsonb_build_object('value', prev_value::float8, 'note', prev_note, 'status', prev_status, 'revision', revision - 1) END,
      jsonb_build_object('value', value::float8, 'note', note, 'status', status, 'revision', revision),
      ${actor.requestId}
    FROM prev`);
}
