import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../../db/client.js';

/** A position in the changes feed: after the event (k, seq). See docs/events.md. */
export type ChangeCursor = { k: number; s: number };

export const FEED_START: ChangeCursor = { k: 0, s: 0 };
/** Larger than any event seq: (h - 1, SEQ_MAX) is "everything below the horizon h". */
export const SEQ_MAX = Number.MAX_SAFE_INTEGER;

export type EventRow = {
  seq: number; id: string; k: number; type: string; entity_type: string; entity_id: string;
  agency_id: string | null; occurred_at: Date | string; data: unknown;
};

export type EventFilter = {
  after: ChangeCursor;
  limit: number;
  types?: string[];
  /** Agencies that must all be in the event's agency path (scope; a subscription's agency).
   * Empty: unrestricted, events without an agency included. */
  within: string[];
};

/**
 * Events after `after`, ordered by (k, seq), whose k is below the horizon: the oldest transaction
 * still running when this statement's snapshot was taken (every transaction with a smaller id has
 * finished, so no event that sorts before the horizon can appear later). Answers up to `limit + 1`
 * rows and the horizon, both from ONE statement (one snapshot).
 */
export async function readEvents(db: DbOrTx, f: EventFilter): Promise<{ rows: EventRow[]; horizon: number }> {
  const where: SQL[] = [sql`e.k < h.horizon`, sql`(e.k, e.seq) > (${f.after.k}::bigint, ${f.after.s}::bigint)`];
  if (f.types?.length) where.push(sql`e.type = ANY(${sql.param(f.types)}::text[])`);
  for (const a of f.within) where.push(sql`EXISTS (SELECT 1 FROM agencies a WHERE a.id = e.agency_id AND ${a}::uuid = ANY(a.path))`);
  const rows = await queryRows<EventRow & { horizon: string; seq: string | null; k: string }>(db, sql`
    WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon)
    SELECT h.horizon, e.seq, e.id, e.k, e.type, e.entity_type, e.entity_id, e.agency_id, e.occurred_at, e.data
    FROM h LEFT JOIN LATERAL (
      SELECT e.* FROM events e WHERE ${sql.join(where, sql` AND `)}
      ORDER BY e.k, e.seq LIMIT ${f.limit + 1}
    ) e ON true`);
  const horizon = Number(rows[0].horizon);
  const out = rows.filter((r) => r.seq !== null).map((r) => ({ ...r, seq: Number(r.seq), k: Number(r.k) }));
  return { rows: out, horizon };
}

const before = (a: ChangeCursor, b: ChangeCursor) => a.k < b.k || (a.k === b.k && a.s < b.s);

/** The page and where to continue: after its last event when more follow; otherwise just below
 * the horizon (every matching event below it was in this page), never behind `after`. */
export function pageOfEvents(rows: EventRow[], horizon: number, after: ChangeCursor, limit: number) {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  if (more) return { page, next: { k: page[page.length - 1].k, s: page[page.length - 1].seq } };
  const below: ChangeCursor = { k: horizon - 1, s: SEQ_MAX };
  return { page, next: before(after, below) ? below : after };
}
