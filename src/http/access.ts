import { sql, type SQL, type AnyColumn } from 'drizzle-orm';
import type { ROLES } from '../db/schema/index.js';
import type { IdempotencyClaim } from '../db/gate.js';
import { forbidden, notFound } from './problem.js';

export type Role = (typeof ROLES)[number];

/** Who is calling, from a verified token. `agencyId` null = every agency (admin, evaluator). */
export type Actor = {
  subject: string;
  clientId: string;
  role: Role;
  agencyId: string | null;
  requestId: string;
  /** The request's Idempotency-Key, claimed by the write gate in the transaction of the work. */
  idempotency?: IdempotencyClaim;
};

/** Role sets used by route declarations (API.md, "Roles"). */
export const ROLES_WRITE_PLANNING: Role[] = ['admin', 'operator'];
export const ROLES_WRITE_MEASUREMENTS: Role[] = ['admin', 'operator', 'submitter'];
export const ROLES_EVALUATE: Role[] = ['admin', 'evaluator'];
export const ROLES_ADMIN: Role[] = ['admin'];
export const ROLES_AUDIT: Role[] = ['admin', 'evaluator'];

/** Scope rule of API.md: a client with an agency sees that agency and its descendants.
 * `agencyPath` is the agency's `path` (root .. itself). Outside the scope is "not found". */
export function inScope(actor: Actor, agencyPath: readonly string[]): boolean {
  return actor.agencyId === null || agencyPath.includes(actor.agencyId);
}

export function assertInScope(actor: Actor, agencyPath: readonly string[] | null | undefined, what: string): void {
  if (!agencyPath || !inScope(actor, agencyPath)) throw notFound(what);
}

/** SQL filter over an agencies.path column for list queries; `undefined` when unrestricted. */
export function scopeFilter(actor: Actor, pathColumn: AnyColumn): SQL | undefined {
  return actor.agencyId === null ? undefined : sql`${pathColumn} @> ARRAY[${actor.agencyId}::uuid]`;
}

export function assertRole(actor: Actor, roles: readonly Role[], detail?: string): void {
  if (!roles.includes(actor.role)) throw forbidden(detail ?? `Role ${actor.role} may not do this; allowed: ${roles.join(', ')}`);
}
