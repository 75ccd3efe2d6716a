import { sql } from 'drizzle-orm';
import { queryRows, type Db, type DbOrTx } from '../../db/client.js';
import { formatDecimal, isValidMeasuredValue } from '../../domain/decimal.js';
import { isValidPeriod, periodWithinYears } from '../../domain/period.js';
import { inScope, type Actor } from '../../http/access.js';
import { Problem } from '../../http/problem.js';
import { writeGate } from '../../db/gate.js';
import { readCsv, type CsvColumn } from '../batch/csv.js';
import { lockedPairs } from '../locks/repository.js';
import { outsidePlan } from './service.js';
import type { BatchResult } from './schemas.js';
import { rangeErrors } from '../../domain/achievement.js';
import { auditedTarget, sameTarget } from './service.js';
import type { TargetValue } from './schemas.js';

export const MAX_BATCH_ROWS = 50_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type RawRow = Record<string, unknown>;
type Row = {
  row: number; line?: number; period: string; indicatorId?: string; agencyCode?: string; indicatorCode?: string;
  value?: string | null; min?: string | null; max?: string | null; error?: string; agencyId?: string;
  status?: 'created' | 'updated' | 'unchanged' | 'rejected' | 'valid'; before?: Before;
};
type Before = { value: string | null; minValue: string | null; maxValue: string | null };
type Resolved = { id: string; code: string; agency_id: string; agency_code: string; path: string[]; start_year: number; end_year: number };

/** The columns of a target CSV: a single target fills `value`, a range `min` and `max`. */
const TARGET_CSV_COLUMNS: ReadonlyArray<CsvColumn> = [
  { name: 'agency_code' }, { name: 'indicator_code' }, { name: 'period' },
  { name: 'value', decimal: true }, { name: 'min', optional: true, decimal: true }, { name: 'max', optional: true, decimal: true },
];

/** CSV body -> the same rows as JSON items, read by the one CSV reader of the batches (`,` or `;`
 * by the header line, a decimal comma in `;`-files, file line numbers); a bad header is a 400. */
export function rowsFromCsv(text: string): RawRow[] {
  // Empty cells are absent fields, so a ranged row leaves value empty and a single one min and max.
  const cell = (v: string) => (v === '' ? undefined : v);
  return readCsv(text, TARGET_CSV_COLUMNS, (v, line, error): RawRow => (error
    ? { period: v[2], agencyCode: v[0], indicatorCode: v[1], line, columnError: error }
    : { agencyCode: v[0], indicatorCode: v[1], period: v[2], value: cell(v[3]), min: cell(v[4]), max: cell(v[5]), line })).records;
}

/** Checks one row on its own: identifier, period syntax, value. */
function checkRow(raw: RawRow, i: number): Row {
  const r: Row = { row: i + 1, period: typeof raw.period === 'string' ? raw.period : String(raw.period ?? '') };
  if (typeof raw.line === 'number') r.line = raw.line;
  const named = { agencyCode: raw.agencyCode, indicatorCode: raw.indicatorCode };
  const fail = (error: string): Row => ({
    ...r, error,
    ...(typeof named.agencyCode === 'string' ? { agencyCode: named.agencyCode } : {}),
    ...(typeof named.indicatorCode === 'string' ? { indicatorCode: named.indicatorCode } : {}),
  });
  if (typeof raw.columnError === 'string') return fail(raw.columnError);
  if (raw.indicatorId !== undefined && raw.indicatorId !== null && raw.indicatorId !== '') {
    if (typeof raw.indicatorId !== 'string' || !UUID.test(raw.indicatorId)) return fail('indicatorId is not a UUID');
    r.indicatorId = raw.indicatorId.toLowerCase();
  } else if (typeof raw.agencyCode === 'string' && raw.agencyCode && typeof raw.indicatorCode === 'string' && raw.indicatorCode) {
    r.agencyCode = raw.agencyCode;
    r.indicatorCode = raw.indicatorCode;
  } else {
    return fail('name the indicator by indicatorId or by agencyCode + indicatorCode');
  }
  if (!isValidPeriod(raw.period)) return fail(`bad period ${JSON.stringify(raw.period ?? null)}: use YYYY or YYYYQn with n in 1..4`);
  const given = (x: unknown) => x !== undefined && x !== null && x !== '';
  const decimalOf = (name: string, x: unknown): string | { error: string } => {
    const v = typeof x === 'string' ? x.trim() : x;
    if ((typeof v !== 'number' && typeof v !== 'string') || v === '' || !isValidMeasuredValue(v)) {
      return { error: `bad ${name} ${JSON.stringify(x ?? null)}: a finite decimal with at most 4 decimal places is required` };
    }
    return formatDecimal(v);
  };
  if (given(raw.min) || given(raw.max)) {
    if (given(raw.value)) return fail('give either value or min + max (a range), not both');
    if (!given(raw.min) || !given(raw.max)) return fail(`a range needs both min and max`);
    const min = decimalOf('min', raw.min);
    if (typeof min !== 'string') return fail(min.error);
    const max = decimalOf('max', raw.max);
    if (typeof max !== 'string') return fail(max.error);
    const bad = rangeErrors(min, max, { min: 'min', max: 'max' });
    if (bad.length) return fail(bad.map((e) => `${e.path}: ${e.message}`).join('; '));
    Object.assign(r, { value: null, min, max });
    return r;
  }
  const value = decimalOf('value', raw.value);
  if (typeof value !== 'string') return fail(value.error);
  Object.assign(r, { value, min: null, max: null });
  return r;
}

/** One query resolves every indicator the batch names, by id or by agency code + indicator code. */
async function resolveIndicators(tx: DbOrTx, rows: Row[]) {
  const ids = [...new Set(rows.filter((r) => r.indicatorId).map((r) => r.indicatorId!))];
  const pairs = rows.filter((r) => r.agencyCode);
  const found = ids.length || pairs.length ? await queryRows<Resolved>(tx, sql`
    SELECT i.id, i.code, i.agency_id, a.code AS agency_code, a.path, p.start_year, p.end_year
    FROM indicators i JOIN agencies a ON a.id = i.agency_id JOIN plans p ON p.id = i.plan_id
    WHERE i.id = ANY(${sql.param(ids)}::uuid[])
       OR (a.code, i.code) IN (SELECT * FROM unnest(${sql.param(pairs.map((r) => r.agencyCode!))}::text[], ${sql.param(pairs.map((r) => r.indicatorCode!))}::text[]))`) : [];
  const byId = new Map(found.map((f) => [f.id, f]));
  const byCode = new Map(found.map((f) => [`${f.agency_code}\u0000${f.code}`, f]));
  return (r: Row) => (r.indicatorId ? byId.get(r.indicatorId) : byCode.get(`${r.agencyCode}\u0000${r.indicatorCode}`));
}

function parsePath(p: unknown): string[] {
  // pg answers uuid[] as an array; some drivers answer the text form {a,b}.
  return Array.isArray(p) ? p : String(p).replace(/[{}]/g, '').split(',').filter(Boolean);
}

/** The target import (API.md "POST /v1/targets/batch"): set-based reads and one upsert. */
export async function importTargets(db: Db, actor: Actor, raw: RawRow[], opts: { dryRun: boolean; atomic: boolean }): Promise<BatchResult> {
  if (raw.length > MAX_BATCH_ROWS) throw new Problem('payload-too-large', `At most ${MAX_BATCH_ROWS} rows a request; split the import`);
  // One unit of work through the gate: the rows, their audit and the Idempotency-Key commit together.
  return writeGate(db).run(actor, async ({ tx }) => {
    const rows = raw.map((r, i) => checkRow(r && typeof r === 'object' ? r : {}, i));
    const lookup = await resolveIndicators(tx, rows.filter((r) => !r.error));
    const seen = new Map<string, number>();
    for (const r of rows) {
      if (r.error) continue;
      const ind = lookup(r);
      if (!ind || !inScope(actor, parsePath(ind.path))) {
        r.error = r.indicatorId ? `unknown indicator ${r.indicatorId} (none in your scope)` : `unknown indicator ${r.indicatorCode} of agency ${r.agencyCode} (none in your scope)`;
        continue;
      }
      r.indicatorId = ind.id;
      r.agencyId = ind.agency_id;
      if (!periodWithinYears(r.period, ind.start_year, ind.end_year)) { r.error = outsidePlan(r.period, ind.start_year, ind.end_year); continue; }
      const key = `${ind.id}|${r.period}`;
      if (seen.has(key)) { r.error = `duplicate of row ${seen.get(key)} (same indicator and period)`; continue; }
      seen.set(key, r.row);
    }
    const valid = rows.filter((r) => !r.error);
    const locked = await lockedPairs(tx, valid.map((r) => ({ agencyId: r.agencyId!, period: r.period })));
    for (const r of valid) if (locked.has(`${r.agencyId}|${r.period}`)) r.error = `period ${r.period} is locked for this agency; an admin must unlock it first`;

    const open = rows.filter((r) => !r.error);
    const existing = open.length ? await queryRows<{ indicator_id: string; period: string } & Before>(tx, sql`
      SELECT t.indicator_id, t.period, t.value::text AS value, t.min_value::text AS "minValue", t.max_value::text AS "maxValue" FROM targets t
      JOIN unnest(${sql.param(open.map((r) => r.indicatorId!))}::uuid[], ${sql.param(open.map((r) => r.period))}::text[]) AS u(i, p)
        ON t.indicator_id = u.i AND t.period = u.p`) : [];
    const current = new Map(existing.map((e) => [`${e.indicator_id}|${e.period}`, e]));
    for (const r of rows) {
      if (r.error) { r.status = 'rejected'; continue; }
      r.before = current.get(`${r.indicatorId}|${r.period}`);
      const wanted = { value: r.value ?? null, min: r.min ?? null, max: r.max ?? null } as TargetValue;
      r.status = r.before === undefined ? 'created' : sameTarget(r.before, wanted) ? 'unchanged' : 'updated';
    }
    const rejected = rows.filter((r) => r.status === 'rejected').length;
    const writes = !opts.dryRun && !(opts.atomic && rejected > 0);
    const changed = rows.filter((r) => r.status === 'created' || r.status === 'updated');
    if (writes && changed.length) await writeChanged(tx, actor, changed);
    // An atomic batch with an invalid row writes nothing: its good rows are `valid`, not written
    // (as in the measurement batch, docs/batch.md).
    if (opts.atomic && rejected > 0) for (const r of rows) if (r.status !== 'rejected') r.status = 'valid';
    const count = (s: Row['status']) => rows.filter((r) => r.status === s).length;
    const written = writes && changed.length > 0;
    return {
      summary: {
        received: rows.length, created: count('created'), updated: count('updated'), unchanged: count('unchanged'), rejected,
        ...(count('valid') ? { valid: count('valid') } : {}),
      },
      dryRun: opts.dryRun,
      written,
      results: rows.map((r) => ({
        row: r.row, ...(r.line !== undefined ? { line: r.line } : {}), status: r.status!,
        ...(r.indicatorId && r.status !== 'rejected' ? { indicatorId: r.indicatorId } : {}),
        // A rejected CSV row echoes the codes it named, to fix the file by them.
        ...(r.status === 'rejected' && r.line !== undefined && r.agencyCode !== undefined ? { agencyCode: r.agencyCode } : {}),
        ...(r.status === 'rejected' && r.line !== undefined && r.indicatorCode !== undefined ? { indicatorCode: r.indicatorCode } : {}),
        period: r.period, ...(r.error ? { error: r.error } : {}),
      })),
    };
  });
}

/** One upsert over arrays (no per-row statement, no parameter limit) and one audit insert. */
async function writeChanged(tx: DbOrTx, actor: Actor, rows: Row[]) {
  await tx.execute(sql`
    INSERT INTO targets (indicator_id, period, value, min_value, max_value, updated_at, updated_by)
    SELECT u.i, u.p, u.v, u.lo, u.hi, now(), ${actor.clientId}
    FROM unnest(${sql.param(rows.map((r) => r.indicatorId!))}::uuid[], ${sql.param(rows.map((r) => r.period))}::text[],
      ${sql.param(rows.map((r) => r.value ?? null))}::numeric[], ${sql.param(rows.map((r) => r.min ?? null))}::numeric[],
      ${sql.param(rows.map((r) => r.max ?? null))}::numeric[]) AS u(i, p, v, lo, hi)
    ON CONFLICT (indicator_id, period) DO UPDATE SET value = excluded.value, min_value = excluded.min_value, max_value = excluded.max_value,
      updated_at = excluded.updated_at, updated_by = excluded.updated_by`);
  const audit = rows.map((r) => ({
    entity_id: r.indicatorId, agency_id: r.agencyId,
    before: r.before === undefined ? null : auditedTarget(r.period, { value: r.before.value, min: r.before.minValue, max: r.before.maxValue }),
    after: auditedTarget(r.period, { value: r.value ?? null, min: r.min ?? null, max: r.max ?? null }),
  }));
  await tx.execute(sql`
    INSERT INTO audit_log (actor, action, entity_type, entity_id, agency_id, before, after, request_id)
    SELECT ${actor.clientId}, 'target.set', 'target', x.entity_id, x.agency_id, x.before, x.after, ${actor.requestId}
    FROM jsonb_to_recordset(${JSON.stringify(audit)}::jsonb) AS x(entity_id text, agency_id uuid, before jsonb, after jsonb)`);
}
