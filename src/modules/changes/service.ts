import type { Db, DbOrTx } from '../../db/client.js';
import type { Actor } from '../../http/access.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import { FEED_START, pageOfEvents, readEvents, type ChangeCursor, type EventRow } from './repository.js';
import type { ChangeEvent } from './schemas.js';

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

export const toEventDto = (r: EventRow): ChangeEvent => ({
  id: r.id, type: r.type, entityType: r.entity_type, entityId: r.entity_id, agencyId: r.agency_id,
  occurredAt: iso(r.occurred_at), data: r.data ?? null,
});

const isCursor = (v: unknown): v is ChangeCursor => {
  const c = v as ChangeCursor;
  return typeof v === 'object' && v !== null && Number.isSafeInteger(c.k) && Number.isSafeInteger(c.s) && c.k >= 0 && c.s >= 0;
};

export const decodeChangeCursor = (cursor: string | undefined) => decodeCursor(cursor, isCursor) ?? FEED_START;
export const encodeChangeCursor = (c: ChangeCursor) => encodeCursor({ k: c.k, s: c.s });

/** The changes feed (API.md "Changes and webhooks"): the caller's scope, oldest first. */
export function changeService(db: Db) {
  return {
    async list(actor: Actor, q: { cursor?: string; types?: string[]; limit: number }, on: DbOrTx = db) {
      const after = decodeChangeCursor(q.cursor);
      const { rows, horizon } = await readEvents(on, {
        after, limit: q.limit, types: q.types, within: actor.agencyId ? [actor.agencyId] : [],
      });
      const { page, next } = pageOfEvents(rows, horizon, after, q.limit);
      return { data: page.map(toEventDto), nextCursor: encodeChangeCursor(next) };
    },
  };
}
