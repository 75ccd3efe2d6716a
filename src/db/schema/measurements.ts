import { sql } from 'drizzle-orm';
import {
  check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid,
} from 'drizzle-orm/pg-core';
import { agencies } from './core.js';
import { indicators } from './planning.js';
import { createdAt, decimal, updatedAt } from './columns.js';

export const MEASUREMENT_STATUSES = ['submitted', 'verified', 'returned'] as const;

/** Realisasi: one row per indicator and period, the current value. */
export const measurements = pgTable('measurements', {
  indicatorId: uuid('indicator_id').notNull().references(() => indicators.id),
  period: text('period').notNull(),
  agencyId: uuid('agency_id').notNull().references(() => agencies.id),
  value: decimal('value').notNull(),
  note: text('note'),
  evidence: jsonb('evidence').$type<Array<{ title: string; url: string }>>().notNull().default(sql`'[]'::jsonb`),
  status: text('status', { enum: MEASUREMENT_STATUSES }).notNull().default('submitted'),
  revision: integer('revision').notNull().default(1),
  verificationComment: text('verification_comment'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  updatedBy: text('updated_by').notNull(),
}, (t) => [
  primaryKey({ columns: [t.indicatorId, t.period] }),
  index('measurements_agency_updated_idx').on(t.agencyId, t.updatedAt),
  check('measurements_period_chk', sql`${t.period} ~ '^[0-9]{4}(Q[1-4])?$'`),
]);

/** Every revision of a measurement. The key (indicator, period, revision) makes concurrent writers
 * safe; it is the primary key, with no surrogate id, so a batch writes one index entry per revision. */
export const measurementRevisions = pgTable('measurement_revisions', {
  indicatorId: uuid('indicator_id').notNull(),
  period: text('period').notNull(),
  revision: integer('revision').notNull(),
  value: decimal('value').notNull(),
  previousValue: decimal('previous_value'),
  status: text('status', { enum: MEASUREMENT_STATUSES }).notNull(),
  note: text('note'),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  changedBy: text('changed_by').notNull(),
}, (t) => [primaryKey({ name: 'measurement_revisions_pkey', columns: [t.indicatorId, t.period, t.revision] })]);

/** Frozen LKjIP snapshots: digest over canonical JSON and a compact JWS over it. */
export const reportSubmissions = pgTable('report_submissions', {
  agencyId: uuid('agency_id').notNull().references(() => agencies.id),
  year: integer('year').notNull(),
  version: integer('version').notNull(),
  digest: text('digest').notNull(),
  jws: text('jws').notNull(),
  snapshot: jsonb('snapshot').notNull(),
  submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
  submittedBy: text('submitted_by').notNull(),
}, (t) => [primaryKey({ columns: [t.agencyId, t.year, t.version] })]);

