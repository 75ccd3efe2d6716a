import { sql } from 'drizzle-orm';
import { arrayLiteral, queryRows, type DbOrTx } from '../../db/client.js';
import type { Actor } from '../../http/access.js';

/** The one measurement writer: set-based statements for the batch AND the single PUT (a chunk of
 * one row), so the status rule ("a changed value goes back to submitted"), revisions and audit
 * contents are the same whichever way a value arrives. A fixed number of statements per chunk,
 * never one per row. Arrays go in as parameters and are `unnest`ed (no 65,535-parameter limit). */

export type ResolvedIndicator = {
  id: string; code: string; agency_id: string; agency_code: string; start_year: number; end_year: number; in_scope: boolean;
};

/** Every indicator named by id or by (agencyCode, indicatorCode), in one query. */
export async function resolveIndicators(tx: DbOrTx, ids: string[], pairs: Array<[string, string]>, scopeAgencyId: string | null) {
  const scope = scopeAgencyId === null ? sql`true` : sql`a.path @> ARRAY[${scopeAgencyId}::uuid]`;
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

/** A measurement to write. `evidence` (JSON text of the normalised list) replaces the stored
 * evidence when given (the PUT); when absent the stored evidence is kept (the batch). All rows of a
 * chunk must agree on giving it or not. */
export type WriteRow = { indicatorId: string; agencyId: string; period: string; value: string; note: string | null; evidence?: string };

// Ids, periods and values are validated and canonical (uuid, YYYYQn, plain decimal): no escaping.
const plain = (values: string[]) => sql.param(arrayLiteral(values, true));
const columns = (rows: WriteRow[]) => ({
  ids: plain(rows.map((r) => r.indicatorId)),
  periods: plain(rows.map((r) => r.period)),
  agencies: plain(rows.map((r) => r.agencyId)),
  values: plain(rows.map((r) => r.value)),
  notes: sql.param(arrayLiteral(rows.map((r) => r.note))),
  // Also filtering the table by the distinct ids gives the planner an exact row estimate: an index
  // scan on the primary key instead of a hash join over the whole table.
  distinctIds: plain([...new Set(rows.map((r) => r.indicatorId))]),
});

/** Dry run: which rows would be created (no row) or changed (value or note differ). */
export async function compareExisting(tx: DbOrTx, rows: WriteRow[]) {
  const c = columns(rows);
  return queryRows<{ indicator_id: string; period: string; exists: boolean; changed: boolean }>(tx, sql`
    SELECT u.indicator_id, u.period, m.indicator_id IS NOT NULL AS exists,
      (m.value IS DISTINCT FROM u.value OR m.note IS DISTINCT FROM u.note) AS changed
    FROM unnest(${c.ids}::uuid[], ${c.periods}::text[], ${c.values}::numeric[], ${c.notes}::text[]) AS u(indicator_id, period, value, note)
    LEFT JOIN measurements m ON m.indicator_id = u.indicator_id AND m.period = u.period AND m.indicator_id = ANY(${c.distinctIds}::uuid[])`);
}

/** A changed row of a chunk: its 0-based position in the chunk and its new revision (1 = created). */
export type Changed = { index: number; revision: number };

/**
 * Writes one chunk in ONE statement: upsert, revision rows and audit rows. Rows must be sorted by
 * (indicatorId, period) so that concurrent writers take row locks in the same order (the insert's
 * ORDER BY), which rules out deadlocks.
 *
 * `old` reads the stored rows as of this statement's snapshot (through the primary key, by the
 * chunk's distinct indicator ids: an exact row estimate, so an index scan rather than a hash join
 * over the whole table). Rows identical to them are filtered out and write nothing. Each remaining
 * row is upserted; ON CONFLICT works on the latest committed version under its row lock, so
 * `revision = committed + 1` and two writers of the same row produce one revision per real change.
 * Where no concurrent writer touched the row, `old` is its previous state (old.revision =
 * revision - 1) and the revision and audit rows are written here. Otherwise (another writer
 * committed the row after our snapshot; rare) the previous state is not visible to this statement:
 * such rows ("late") get their revision and audit rows from `recordLate`, a following statement
 * that sees the other writer's revision. Not locking `old` first saves a write per row; a row whose
 * stored value equalled ours at the snapshot is left as the concurrent writer made it, as if ours
 * had run first. Unchanged rows are not returned.
 */
export async function writeChunk(tx: DbOrTx, rows: WriteRow[], actor: Actor): Promise<Changed[]> {
  const c = columns(rows);
  const replaceEvidence = rows.length > 0 && rows[0].evidence !== undefined;
  // Evidence: replaced (and compared) when the rows carry it, else left as stored.
  const changedSql = replaceEvidence
    ? sql.raw('o.value IS DISTINCT FROM u.value OR o.note IS DISTINCT FROM u.note OR o.evidence IS DISTINCT FROM u.evidence')
    : sql.raw('o.value IS DISTINCT FROM u.value OR o.note IS DISTINCT FROM u.note');
  const conflictChanged = replaceEvidence
    ? sql.raw('m.value IS DISTINCT FROM EXCLUDED.value OR m.note IS DISTINCT FROM EXCLUDED.note OR m.evidence IS DISTINCT FROM EXCLUDED.evidence')
    : sql.raw('m.value IS DISTINCT FROM EXCLUDED.value OR m.note IS DISTINCT FROM EXCLUDED.note');
  const out = await queryRows<{ indicator_id: string; period: string; revision: number; late: boolean }>(tx, sql`
    WITH u AS (
      SELECT * FROM unnest(${c.ids}::uuid[], ${c.periods}::text[], ${c.agencies}::uuid[], ${c.values}::numeric[], ${c.notes}::text[],
        ${replaceEvidence ? sql.param(arrayLiteral(rows.map((r) => r.evidence ?? '[]'))) : sql`NULL`}::jsonb[])
        AS u(indicator_id, period, agency_id, value, note, evidence)
    ), old AS (
      SELECT m.indicator_id, m.period, m.value, m.note, m.evidence, m.status, m.revision, m.verification_comment
      FROM measurements m JOIN u ON m.indicator_id = u.indicator_id AND m.period = u.period
      WHERE m.indicator_id = ANY(${c.distinctIds}::uuid[])
    ), up AS (
      INSERT INTO measurements AS m (indicator_id, period, agency_id, value, note, evidence, status, revision, updated_by, created_at, updated_at)
      SELECT u.indicator_id, u.period, u.agency_id, u.value, u.note, COALESCE(u.evidence, '[]'::jsonb), 'submitted', 1, ${actor.clientId}, now(), now()
      FROM u LEFT JOIN old o ON o.indicator_id = u.indicator_id AND o.period = u.period
      WHERE o.indicator_id IS NULL OR ${changedSql}
      ORDER BY u.indicator_id, u.period
      ON CONFLICT (indicator_id, period) DO UPDATE SET
        value = EXCLUDED.value,
        note = EXCLUDED.note,
        evidence = ${replaceEvidence ? sql.raw('EXCLUDED.evidence') : sql.raw('m.evidence')},
        status = CASE WHEN m.value IS DISTINCT FROM EXCLUDED.value THEN 'submitted' ELSE m.status END,
        verification_comment = CASE WHEN m.value IS DISTINCT FROM EXCLUDED.value THEN NULL ELSE m.verification_comment END,
        revision = m.revision + 1,
        updated_by = EXCLUDED.updated_by,
        updated_at = now()
      WHERE ${conflictChanged}
      RETURNING m.indicator_id, m.period, m.agency_id, m.revision, m.value, m.note, m.evidence, m.status, m.verification_comment
    ), ch AS (
      SELECT up.*, o.value AS prev_value, o.note AS prev_note, o.evidence AS prev_evidence, o.status AS prev_status,
        o.verification_comment AS prev_comment, (up.revision > 1 AND o.revision IS DISTINCT FROM up.revision - 1) AS late
      FROM up LEFT JOIN old o ON o.indicator_id = up.indicator_id AND o.period = up.period
    ), revisions AS (
      INSERT INTO measurement_revisions (indicator_id, period, revision, value, previous_value, status, note, changed_at, changed_by)
      SELECT indicator_id, period, revision, value, prev_value, status, note, now(), ${actor.clientId} FROM ch WHERE NOT late
    ), audit AS (
      INSERT INTO audit_log (actor, action, entity_type, entity_id, agency_id, before, after, request_id)
      SELECT ${actor.clientId}, ${AUDIT_ACTION}, 'measurement', indicator_id::text || '/' || period, agency_id,
        ${AUDIT_BEFORE}, ${AUDIT_AFTER}, ${actor.requestId}
      FROM ch WHERE NOT late
    )
    SELECT indicator_id, period, revision, late FROM ch`);
  // Back to positions in the chunk by key (cheaper than joining the chunk again in SQL).
  const at = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) at.set(`${rows[i].indicatorId}|${rows[i].period}`, i);
  const changed: Changed[] = new Array(out.length);
  const late: WriteRow[] = [];
  for (let i = 0; i < out.length; i++) {
    const r = out[i];
    const index = at.get(`${r.indicator_id}|${r.period}`)!;
    changed[i] = { index, revision: r.revision };
    if (r.late) late.push(rows[index]);
  }
  if (late.length) await recordLate(tx, late, actor);
  return changed;
}

const AUDIT_ACTION = sql.raw(`CASE WHEN revision = 1 THEN 'measurement.create' ELSE 'measurement.update' END`);
/** The audit snapshot of a measurement (`auditView` in service.ts builds the same from a row). */
const AUDIT_BEFORE = sql.raw(`CASE WHEN revision = 1 THEN NULL
  ELSE jsonb_build_object('value', prev_value, 'note', prev_note, 'evidence', prev_evidence, 'status', prev_status,
    'revision', revision - 1, 'verificationComment', prev_comment) END`);
const AUDIT_AFTER = sql.raw(`jsonb_build_object('value', value, 'note', note, 'evidence', evidence, 'status', status,
  'revision', revision, 'verificationComment', verification_comment)`);

/** Revision and audit rows of the "late" rows of `writeChunk` (rare): their current state is read
 * from the locked measurement, their previous state from the revision the other writer committed. */
async function recordLate(tx: DbOrTx, rows: WriteRow[], actor: Actor): Promise<void> {
  await tx.execute(sql`
    WITH cur AS (
      SELECT m.indicator_id, m.period, m.agency_id, m.revision, m.value, m.note, m.evidence, m.status, m.verification_comment
      FROM measurements m JOIN unnest(${sql.param(rows.map((r) => r.indicatorId))}::uuid[], ${sql.param(rows.map((r) => r.period))}::text[]) AS k(indicator_id, period)
        ON m.indicator_id = k.indicator_id AND m.period = k.period
    ), ch AS (
      -- The previous state as its writer audited it (evidence and comment are not in revisions).
      SELECT cur.*, r.value AS prev_value, r.note AS prev_note, COALESCE(a.after->'evidence', '[]'::jsonb) AS prev_evidence,
        r.status AS prev_status, a.after->>'verificationComment' AS prev_comment
      FROM cur LEFT JOIN measurement_revisions r
        ON r.indicator_id = cur.indicator_id AND r.period = cur.period AND r.revision = cur.revision - 1
      LEFT JOIN LATERAL (
        SELECT after FROM audit_log WHERE entity_type = 'measurement' AND entity_id = cur.indicator_id::text || '/' || cur.period
          AND (after->>'revision')::int = cur.revision - 1 ORDER BY id DESC LIMIT 1) a ON true
    ), revisions AS (
      INSERT INTO measurement_revisions (indicator_id, period, revision, value, previous_value, status, note, changed_at, changed_by)
      SELECT indicator_id, period, revision, value, prev_value, status, note, now(), ${actor.clientId} FROM ch
    )
    INSERT INTO audit_log (actor, action, entity_type, entity_id, agency_id, before, after, request_id)
    SELECT ${actor.clientId}, ${AUDIT_ACTION}, 'measurement', indicator_id::text || '/' || period, agency_id,
      ${AUDIT_BEFORE}, ${AUDIT_AFTER}, ${actor.requestId}
    FROM ch`);
}
