import { z } from 'zod';
import { badRequest } from './problem.js';

/** Query of every collection (API.md): limit 1-500 (default 50) and an opaque cursor. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('Page size, 1-500'),
  cursor: z.string().max(500).optional().describe('Opaque cursor from the previous page\'s nextCursor'),
});

export const updatedSinceQuery = z.object({
  updatedSince: z.iso.datetime({ offset: true }).optional().describe('Only items changed at or after this RFC 3339 time'),
});

export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, check: (v: unknown) => v is T): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(v)) return v;
  } catch {
    // fall through
  }
  throw badRequest('The cursor is not valid; use the nextCursor of a previous page', [{ path: 'cursor', message: 'invalid cursor' }]);
}

/** Cursor of a list ordered by id (ids are UUIDv7, so this is creation order). */
export const decodeIdCursor = (cursor: string | undefined) =>
  decodeCursor(cursor, (v): v is string => typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v));

/** Given `limit + 1` rows, answers the page and the next cursor. */
export function pageOf<T, R = T>(rows: T[], limit: number, keyOf: (row: T) => unknown, map?: (row: T) => R) {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return {
    data: map ? page.map(map) : (page as unknown as R[]),
    nextCursor: more ? encodeCursor(keyOf(page[page.length - 1])) : null,
  };
}

/** The response schema of a collection of `item`. */
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });
