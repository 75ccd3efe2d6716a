import type { Db, DbOrTx } from '../../db/client.js';
import { writeGate } from '../../db/gate.js';
import { MAX_MAGNITUDE, MAX_PLACES, toDecimal } from '../../domain/decimal.js';
import { isValidPeriod, periodWithinYears } from '../../domain/period.js';
import type { Actor } from '../../http/access.js';
import { chunksOf, runChunks } from '../batch/chunks.js';
import { compareExisting, resolveIndicators, writeChunk, type ResolvedIndicator, type WriteRow } from './bulk.js';
import { MAX_NOTE_LENGTH, type BatchResult } from './schemas.js';

/** Marks a row that could not be read at all (a CSV record with the wrong number of fields). A
 * symbol, so that no JSON item can carry it. */
export const ROW_ERROR = Symbol('rowError');
/** The line in the file of a CSV row (header = 1); JSON items have none. A symbol, like ROW_ERROR. */
export const CSV_LINE = Symbol('csvLine');
/** One item as read from JSON or CSV, not yet validated; its row number is its index + 1. */
export type RawItem = {
  indicatorId?: unknown; agencyCode?: unknown; indicatorCode?: unknown;
  period?: unknown; value?: unknown; note?: unknown; [ROW_ERROR]?: string; [CSV_LINE]?: number;
};
type Result = BatchResult['results'][number];
type Status = Result['status'];
/** A valid row: `ref` names the indicator (lowercase id, or agency + indicator code) until resolved. */
type Row = WriteRow & { row: number; ref: string; byId: boolean; key: string };

const CHUNK = 5_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;
/** Already canonical (what Decimal#toFixed would give back), at most 4 places and |x| < 1e15. */
const CANONICAL = /^-?(0|[1-9][0-9]{0,14})(\.[0-9]{0,3}[1-9])?$/;
const UNKNOWN = 'unknown indicator';

/** Turns a client value into a canonical decimal string, or says precisely what is wrong. */
function parseValue(v: unknown): string | { error: string } {
  // Fast path for the common case, without a Decimal; same result as the general path below.
  if (typeof v === 'number' || typeof v === 'string') {
    const s = typeof v === 'number' ? String(v) : v;
    if (CANONICAL.test(s) && s !== '-0') return s;
  }
  if (v === undefined || v === null || v === '') return { error: 'value is required' };
  if (typeof v === 'number' && !Number.isFinite(v)) return { error: 'value is not a finite number' };
  if (typeof v === 'string' && /^[+-]?(nan|inf(inity)?)$/i.test(v.trim())) return { error: `value ${JSON.stringify(v)} is not a finite number` };
  if ((typeof v !== 'number' && typeof v !== 'string') || (typeof v === 'string' && !DECIMAL.test(v))) {
    return { error: `value ${JSON.stringify(v)} is not a number (use digits and a decimal point, e.g. 12.5)` };
  }
  const d = toDecimal(v);
  if (d.decimalPlaces() > MAX_PLACES) return { error: `value ${String(v)} has more than ${MAX_PLACES} decimal places` };
  if (d.abs().gte(MAX_MAGNITUDE)) return { error: `value ${String(v)} is too large` };
  return d.toFixed();
}

const isObject = (x: unknown): x is RawItem => !!x && typeof x === 'object' && !Array.isArray(x);
const NOT_OBJECT: RawItem = { [ROW_ERROR]: 'item must be an object' };

/** JSON items -> raw items (the objects themselves, not copies). */
export const jsonItems = (items: unknown[]): RawItem[] => items.map((it) => (isObject(it) ? it : NOT_OBJECT));

const pairKey = (agencyCode: string, indicatorCode: string) => `${agencyCode}\u0000${indicatorCode}`;
const byKey = (a: Row, b: Row) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);


/**
 * POST /v1/measurements/batch: validates every row, then writes the valid ones set-based with the
 * one measurement writer (`writeChunk`, which the single PUT uses too), in chunks of up to 5,000
 * rows, all through the write gate.
 *
 * Transactions (docs/batch.md): `atomic=true` and `dryRun=true` are one unit of the gate (one
 * transaction, the Idempotency-Key recorded in it). Otherwise (the default) each chunk is its own
 * unit, up to `concurrency` at once on the pool (1 on PGlite, which has one connection), and the
 * key is held by `gate.exclusive` for the whole batch and recorded with the complete result at the
 * end. Rows are sorted by (indicator, period) and chunks are disjoint, so the chunks of one batch
 * never wait for each other. A crash mid-way leaves whole chunks written and the others not; the
 * resend with the same key finishes the work: rows already written are `unchanged`.
 *
 * Results: an atomic batch (or its dry run) with an invalid row writes nothing and says so: its
 * valid rows are `valid` (not written), counted in `summary.valid`. `written` is true only when a
 * row was created or updated.
 */
export function measurementBatch(db: Db, { concurrency = 1, chunkRows = CHUNK }: { concurrency?: number; chunkRows?: number } = {}) {
  const gate = writeGate(db);
  return {
    async run(actor: Actor, items: RawItem[], opts: { dryRun: boolean; atomic: boolean }): Promise<BatchResult> {
      const results: Result[] = new Array(items.length);
      let rejected = 0;
      const reject = (row: number, period: unknown, error: string, indicatorId?: string) => {
        rejected++;
        results[row - 1] = rejectedResult(items[row - 1], row, period, error, indicatorId);
      };

      // 1. Each row on its own.
      const named: Row[] = [];
      const ids = new Set<string>();
      const pairs = new Map<string, [string, string]>();
      for (let i = 0; i < items.length; i++) {
        const it = items[i];
        const row = i + 1;
        const unreadable = it[ROW_ERROR];
        if (unreadable) { reject(row, it.period, unreadable); continue; }
        const hasCodes = typeof it.agencyCode === 'string' && it.agencyCode !== '' && typeof it.indicatorCode === 'string' && it.indicatorCode !== '';
        if (it.indicatorId === undefined && !hasCodes) { reject(row, it.period, 'indicatorId or agencyCode + indicatorCode is required'); continue; }
        if (it.indicatorId !== undefined && !(typeof it.indicatorId === 'string' && UUID.test(it.indicatorId))) { reject(row, it.period, UNKNOWN); continue; }
        if (!isValidPeriod(it.period)) { reject(row, it.period, `invalid period ${JSON.stringify(it.period ?? null)}: expected YYYY or YYYYQn (n = 1..4)`); continue; }
        const value = parseValue(it.value);
        if (typeof value !== 'string') { reject(row, it.period, value.error); continue; }
        if (it.note !== undefined && it.note !== null && typeof it.note !== 'string') { reject(row, it.period, 'note must be text'); continue; }
        const note = (it.note as string | null | undefined) || null;
        if (note && note.length > MAX_NOTE_LENGTH) { reject(row, it.period, `note is longer than ${MAX_NOTE_LENGTH} characters`); continue; }
        let ref: string;
        const byId = typeof it.indicatorId === 'string';
        if (byId) {
          ref = (it.indicatorId as string).toLowerCase();
          ids.add(ref);
        } else {
          ref = pairKey(it.agencyCode as string, it.indicatorCode as string);
          if (!pairs.has(ref)) pairs.set(ref, [it.agencyCode as string, it.indicatorCode as string]);
        }
        named.push({ row, ref, byId, key: '', indicatorId: '', agencyId: '', period: it.period, value, note });
      }

      // 2. The indicators, in one query; out of scope looks exactly like unknown.
      const found = named.length ? await resolveIndicators(db, [...ids], [...pairs.values()], actor.agencyId) : [];
      const byRef = new Map<string, ResolvedIndicator>();
      for (const f of found) {
        if (!f.in_scope) continue;
        byRef.set(f.id, f);
        byRef.set(pairKey(f.agency_code, f.code), f);
      }
      const seen = new Map<string, number>();
      const valid: Row[] = [];
      for (const n of named) {
        const ind = byRef.get(n.ref);
        if (!ind) {
          reject(n.row, n.period, n.byId ? UNKNOWN : `${UNKNOWN} ${pairs.get(n.ref)![1]} of agency ${pairs.get(n.ref)![0]}`);
          continue;
        }
        if (!periodWithinYears(n.period, ind.start_year, ind.end_year)) {
          reject(n.row, n.period, `period ${n.period} is outside the indicator's plan (${ind.start_year}-${ind.end_year})`, ind.id);
          continue;
        }
        n.indicatorId = ind.id;
        n.agencyId = ind.agency_id;
        n.key = `${ind.id}|${n.period}`;
        const first = seen.get(n.key);
        if (first !== undefined) { reject(n.row, n.period, `duplicate of row ${first} (same indicator and period)`, ind.id); continue; }
        seen.set(n.key, n.row);
        valid.push(n);
      }
      // Same lock order in every writer: no deadlocks between concurrent batches.
      // (Keys compared as plain strings match PostgreSQL's uuid and C-collation text order here:
      // uuids are lowercase hex of one length and periods are ASCII.)
      valid.sort(byKey);

      // 3. Locks and writes, through the gate. `settle` fills the results of written rows; it may
      // run again when a unit is retried, so it counts nothing itself.
      const settle = (rows: Row[], status: Map<Row, Status>, locked: Set<string>) => {
        for (const r of rows) {
          if (locked.has(`${r.agencyId}|${r.period}`)) {
            results[r.row - 1] = rejectedResult(items[r.row - 1], r.row, r.period, `period ${r.period} is locked`, r.indicatorId);
          } else {
            results[r.row - 1] = { row: r.row, status: status.get(r) ?? 'unchanged', indicatorId: r.indicatorId, period: r.period };
          }
        }
      };
      if (opts.atomic || opts.dryRun) {
        // One unit: nothing is written unless every row is valid and open (atomic), or ever (dryRun).
        return gate.run(actor, async (w) => {
          const locked = await w.lockedPairs(valid);
          const clean = rejected === 0 && !valid.some((r) => locked.has(`${r.agencyId}|${r.period}`));
          const status = new Map<Row, Status>();
          const open = locked.size ? valid.filter((r) => !locked.has(`${r.agencyId}|${r.period}`)) : valid;
          if (opts.atomic && !clean) {
            for (const r of open) status.set(r, 'valid');
          } else {
            for (const chunk of chunksOf(open, chunkRows)) {
              if (opts.dryRun) await predict(w.tx, chunk, status);
              else await writeRows(w.tx, chunk, actor, status);
            }
          }
          settle(valid, status, locked);
          return resultOf(items.length, results, !opts.dryRun);
        }, { retry: true });
      }
      return gate.exclusive(actor, async () => {
        await runChunks(chunksOf(valid, chunkRows), concurrency, async (chunk) => {
          const outcome = await gate.run(actor, async (w) => {
            const locked = await w.lockedPairs(chunk);
            const open = locked.size ? chunk.filter((r) => !locked.has(`${r.agencyId}|${r.period}`)) : chunk;
            const status = new Map<Row, Status>();
            if (open.length) await writeRows(w.tx, open, actor, status);
            return { locked, status };
          }, { idempotent: false, retry: true });
          settle(chunk, outcome.status, outcome.locked);
        });
        return resultOf(items.length, results, true);
      });
    },
  };
}

/** A rejected row; a CSV row also says its line in the file and echoes the codes it named. */
function rejectedResult(item: RawItem, row: number, period: unknown, error: string, indicatorId?: string): Result {
  const out: Result = { row, status: 'rejected', period: typeof period === 'string' ? period : null, error };
  if (indicatorId) out.indicatorId = indicatorId;
  const line = item[CSV_LINE];
  if (line !== undefined) {
    out.line = line;
    if (typeof item.agencyCode === 'string' && item.agencyCode) out.agencyCode = item.agencyCode;
    if (typeof item.indicatorCode === 'string' && item.indicatorCode) out.indicatorCode = item.indicatorCode;
  }
  return out;
}

/** The answer: counts by status (`valid` only when some row is), `written` when a row changed. */
function resultOf(received: number, results: Result[], wrote: boolean): BatchResult {
  const summary: BatchResult['summary'] = { received, created: 0, updated: 0, unchanged: 0, rejected: 0 };
  let valid = 0;
  for (const r of results) {
    if (r.status === 'valid') valid++;
    else summary[r.status]++;
  }
  if (valid) summary.valid = valid;
  return { summary, written: wrote && summary.created + summary.updated > 0, results };
}

async function writeRows(tx: DbOrTx, rows: Row[], actor: Actor, status: Map<Row, Status>): Promise<void> {
  for (const c of await writeChunk(tx, rows, actor)) status.set(rows[c.index], c.revision === 1 ? 'created' : 'updated');
}

async function predict(tx: DbOrTx, rows: Row[], status: Map<Row, Status>): Promise<void> {
  const byKeyOf = new Map(rows.map((r) => [r.key, r]));
  for (const c of await compareExisting(tx, rows)) {
    status.set(byKeyOf.get(`${c.indicator_id}|${c.period}`)!, !c.exists ? 'created' : c.changed ? 'updated' : 'unchanged');
  }
}
