import { and, sql, type SQL } from 'drizzle-orm';
import { agencies } from '../../db/schema/index.js';
import { scopeFilter, type Actor } from '../../http/access.js';

/**
 * The agencies of a region query: those in the caller's scope and, with `parentId`, every agency
 * below it (all levels: departments and their units; the parent itself is not included). The
 * caller checks first that `parentId` itself is visible (404 otherwise).
 */
export function regionFilter(actor: Actor, parentId: string | undefined): SQL | undefined {
  return and(
    scopeFilter(actor, agencies.path),
    parentId ? sql`${agencies.path} @> ARRAY[${parentId}::uuid] AND ${agencies.id} <> ${parentId}::uuid` : undefined,
  );
}
