import { sql } from 'drizzle-orm';
import {
  bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';

/** `national`: the one national root (RPJMN), with no parent. */
export const AGENCY_KINDS = ['national', 'ministry', 'institution', 'province', 'regency', 'city', 'department', 'unit'] as const;
export const ROLES = ['admin', 'operator', 'submitter', 'evaluator', 'viewer'] as const;

/** Instansi / perangkat daerah. `path` lists the ids from the root down to this agency itself,
 * so "is X inside the scope of Y" is `X.path @> ARRAY[Y]`, which the GIN index answers (`Y = ANY(X.path)` would
 * not use it), no recursion. */
export const agencies = pgTable('agencies', {
  id: id(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  kind: text('kind', { enum: AGENCY_KINDS }).notNull(),
  parentId: uuid('parent_id').references((): AnyPgColumn => agencies.id),
  path: uuid('path').array().notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  index('agencies_parent_idx').on(t.parentId),
  index('agencies_path_gin').using('gin', t.path),
  // one national root at most
  uniqueIndex('agencies_one_national_uq').on(sql`(true)`).where(sql`${t.kind} = 'national'`),
]);

/** OAuth clients (client credentials). The secret is stored as a scrypt hash only. */
export const clients = pgTable('clients', {
  id: id(),
  clientId: text('client_id').notNull().unique(),
  secretHash: text('secret_hash').notNull(),
  name: text('name').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  agencyId: uuid('agency_id').references(() => agencies.id),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  createdAt: createdAt(),
});

/** The service's signing keys (JWT and report JWS), shared by every process through the database. */
export const signingKeys = pgTable('signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  privateJwk: jsonb('private_jwk').notNull(),
  publicJwk: jsonb('public_jwk').notNull(),
  createdAt: createdAt(),
});

/** Idempotency-Key records: the first response for (client, key) is replayed for the same body. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  owner: text('owner').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  statusCode: integer('status_code'),
  headers: jsonb('headers'),
  body: text('body'),
  /** What the write gate's unit of work answered, committed with the work itself. */
  result: jsonb('result'),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.owner, t.key] }), index('idempotency_created_idx').on(t.createdAt)]);

/** Append-only audit trail; each row is written in the transaction of the change it describes.
 * Indexes are kept few because batches write one audit row per changed row: `at` grows with the
 * physical order of this append-only table, so a BRIN index (almost free to maintain) serves
 * `since`; a filter by actor walks the id order (newest first) with no index of its own. */
export const auditLog = pgTable('audit_log', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id').notNull(),
  agencyId: uuid('agency_id'),
  before: jsonb('before'),
  after: jsonb('after'),
  requestId: text('request_id'),
}, (t) => [
  index('audit_entity_idx').on(t.entityType, t.entityId),
  index('audit_at_brin').using('brin', t.at),
]);

/** Period locks: a locked year locks its quarters. */
export const periodLocks = pgTable('period_locks', {
  agencyId: uuid('agency_id').notNull().references(() => agencies.id),
  period: text('period').notNull(),
  reason: text('reason'),
  lockedBy: text('locked_by').notNull(),
  lockedAt: timestamp('locked_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.agencyId, t.period] }),
  check('period_locks_period_chk', sql`${t.period} ~ '^[0-9]{4}(Q[1-4])?$'`),
]);
