import type { Db, DbOrTx } from '../../db/client.js';
import { MAX_MAGNITUDE, MAX_PLACES, toDecimal } from '../../domain/decimal.js';
import { isValidPeriod, periodWithinYears } from '../../domain/period.js';
import type { Actor } from '../../http/access.js';
import { lockedPairs } from '../locks/repository.js';
import { compareExisting, recordChanges, resolveIndicators, upsertChunk, type ResolvedIndicator, type WriteRow } from './bulk.js';
import { MAX_NOTE_LENGTH, type BatchResult } from './schemas.js';
import { withRetry } from './service.js';

/** One item as read from JSON or CSV, not yet validated. `error` set = unreadable row (CSV). */
export type RawItem = {
  row: number; indicatorId?: unknown; agencyCode?: unknown; indicatorCode?: unknown;
  period?: unknown; value?: unknown; note?: unknown; error?: string;
};
type Result = BatchResult['results'][number];
type Row = WriteRow & { row: number };

const CHUNK = 5_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;
const UNKNOWN = 'unknown indicator';

/** Turns a client value into a canonical decimal string, or says precisely what is wrong. */
function parseValue(v: unknown): { value: string } | { error: string } {
  if (v === undefined || v === null || v === '') return { error: 'value is required' };
  if (typeof v === 'number' && !Number.isFinite(v)) return { error: 'value is not a finite number' };
  if (typeof v === 'string' && /^[+-]?(nan|inf(inity)?)$/i.test(v.trim())) return { error: `value ${JSON.stringify(v)} is not a finite number` };
  if ((typeof v !== 'number' && typeof v !== 'string') || (typeof v === 'string' && !DECIMAL.test(v))) {
    return { error: `value ${JSON.stringify(v)} is not a number (use digits and a decimal point, e.g. 12.5)` };
  }
  const d = toDecimal(v);
  if (d.decimalPlaces() > MAX_PLACES) return { error: `value ${String(v)} has more than ${MAX_PLACES} decimal places` };
  if (d.abs().gte(MAX_MAGNITUDE)) return { error: `value ${String(v)} is too large` };
  return { value: d.toFixed() };
}

const asObject = (x: unknown): Record<string, unknown> | null => (x && typeof x === 'object' && !Array.isArray(x) ? x as Record<string, unknown> : null);

/** JSON items -> raw items (rows 1-based). */
export const jsonItems = (items: unknown[]): RawItem[] => items.map((it, i) => {
  const o = asObject(it);
  return o ? { ...o, row: i + 1, error: undefined } : { row: i + 1, error: 'item must be an object' };
});

const pairKey = (agencyCode: string, indicatorCode: string) => `${agencyCode}\u0000${indicatorCode}`;

/** POST /v1/measurements/batch: validates every row, then writes the valid ones set-based. */
export function measurementBatch(db: Db) {
  return {
    async run(actor: Actor, items: RawItem[], opts: { dryRun: boolean; atomic: boolean }): Promise<BatchResult> {
      const results: Result[] = new Array(items.length);
      const reject = (row: number, period: unknown, error: string, indicatorId?: string) => {
        results[row - 1] = { row, status: 'rejected', ...(indicatorId ? { indicatorId } : {}), period: typeof period === 'string' ? period : null, error };
      };

      // 1. Each row on its own.
      type Named = { row: number; id?: string; pair?: [string, string]; period: string; value: string; note: string | null };
      const named: Named[] = [];
      for (const it of items) {
        if (it.error) { reject(it.row, it.period, it.error); continue; }
        const hasCodes = typeof it.agencyCode === 'string' && it.agencyCode !== '' && typeof it.indicatorCode === 'string' && it.indicatorCode !== '';
        if (it.indicatorId === undefined && !hasCodes) { reject(it.row, it.period, 'indicatorId or agencyCode + indicatorCode is required'); continue; }
        if (it.indicatorId !== undefined && !(typeof it.indicatorId === 'string' && UUID.test(it.indicatorId))) { reject(it.row, it.period, UNKNOWN); continue; }
        if (!isValidPeriod(it.period)) { reject(it.row, it.period, `invalid period ${JSON.stringify(it.period ?? null)}: expected YYYY or YYYYQn (n = 1..4)`); continue; }
        const v = parseValue(it.value);
        if ('error' in v) { reject(it.row, it.period, v.error); continue; }
        if (it.note !== undefined && it.note !== null && typeof it.note !== 'string') { reject(it.row, it.period, 'note must be text'); continue; }
        const note = (it.note as string | null | undefined) || null;
        if (note && note.length > MAX_NOTE_LENGTH) { reject(it.row, it.period, `note is longer than ${MAX_NOTE_LENGTH} characters`); continue; }
        named.push({
          row: it.row, period: it.period, value: v.value, note,
          ...(typeof it.indicatorId === 'string' ? { id: it.indicatorId.toLowerCase() } : { pair: [it.agencyCode as string, it.indicatorCode as string] as [string, string] }),
        });
      }

      // 2. The indicators, in one query; out of scope looks exactly like unknown.
      const ids = [...new Set(named.flatMap((n) => (n.id ? [n.id] : [])))];
      const pairs = [...new Map(named.flatMap((n) => (n.pair ? [[pairKey(...n.pair), n.pair] as const] : []))).values()];
      const found = named.length ? await resolveIndicators(db, ids, pairs, actor.agencyId) : [];
      const byId = new Map<string, ResolvedIndicator>();
      const byPair = new Map<string, ResolvedIndicator>();
      for (const f of found) {
        if (!f.in_scope) continue;
        byId.set(f.id, f);
        byPair.set(pairKey(f.agency_code, f.code), f);
      }
      const seen = new Map<string, number>();
      const valid: Row[] = [];
      for (const n of named) {
        const ind = n.id ? byId.get(n.id) : byPair.get(pairKey(...n.pair!));
        if (!ind) { reject(n.row, n.period, n.id ? UNKNOWN : `${UNKNOWN} ${n.pair![1]} of agency ${n.pair![0]}`); continue; }
        if (!periodWithinYears(n.period, ind.start_year, ind.end_year)) {
          reject(n.row, n.period, `period ${n.period} is outside the indicator's plan (${ind.start_year}-${ind.end_year})`, ind.id);
          continue;
        }
        const key = `${ind.id}|${n.period}`;
        const first = seen.get(key);
        if (first !== undefined) { reject(n.row, n.period, `duplicate of row ${first} (same indicator and period)`, ind.id); continue; }
        seen.set(key, n.row);
        valid.push({ row: n.row, indicatorId: ind.id, agencyId: ind.agency_id, period: n.period, value: n.value, note: n.note });
      }
      // Same lock order in every writer: no deadlocks between concurrent batches.
      // (Keys compared as plain strings match PostgreSQL's uuid and C-collation text order here:
      // uuids are lowercase hex of one length and periods are ASCII.)
      const sortKey = new Map(valid.map((r) => [r, `${r.indicatorId}|${r.period}`]));
      valid.sort((a, b) => { const ka = sortKey.get(a)!; const kb = sortKey.get(b)!; return ka < kb ? -1 : ka > kb ? 1 : 0; });

      // 3. Locks and writes in one transaction per request (retried whole if it loses a race).
      const written = await withRetry(() => db.transaction(async (tx) => {
        const outcome = new Map<Row, Result>();
        const locked = await lockedPairs(tx, valid);
        const open: Row[] = [];
        for (const r of valid) {
          if (locked.has(`${r.agencyId}|${r.period}`)) {
            outcome.set(r, { row: r.row, status: 'rejected', indicatorId: r.indicatorId, period: r.period, error: `period ${r.period} is locked` });
          } else open.push(r);
        }
        const anyRejected = outcome.size > 0 || results.some(Boolean);
        const write = !opts.dryRun && !(opts.atomic && anyRejected);
        const status = write ? await writeRows(tx, open, actor) : opts.dryRun ? await predict(tx, open) : new Map<string, Result['status']>();
        for (const r of open) {
          outcome.set(r, { row: r.row, status: status.get(`${r.indicatorId}|${r.period}`) ?? 'unchanged', indicatorId: r.indicatorId, period: r.period });
        }
        return { outcome, write };
      }));
      for (const res of written.outcome.values()) results[res.row - 1] = res;

      const summary = { received: items.length, created: 0, updated: 0, unchanged: 0, rejected: 0 };
      for (const r of results) summary[r.status]++;
      return { summary, written: written.write, results };
    },
  };
}

async function writeRows(tx: DbOrTx, rows: Row[], actor: Actor): Promise<Map<string, Result['status']>> {
  const status = new Map<string, Result['status']>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const changed = await upsertChunk(tx, rows.slice(i, i + CHUNK), actor);
    for (const c of changed) status.set(`${c.indicator_id}|${c.period}`, c.inserted ? 'created' : 'updated');
    await recordChanges(tx, changed, actor);
  }
  return status;
}

async function predict(tx: DbOrTx, rows: Row[]): Promise<Map<string, Result['status']>> {
  const status = new Map<string, Result['status']>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    for (const c of await compareExisting(tx, rows.slice(i, i + CHUNK))) {
      status.set(`${c.indicator_id}|${c.period}`, !c.exists ? 'created' : c.changed ? 'updated' : 'unchanged');
    }
  }
  return status;
}
