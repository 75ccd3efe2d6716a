/** Tables of the yearly planning cycle beyond the agreement: Rencana Aksi (action plans),
 * analisis capaian (analyses) and lintas sektor (crosscutting links). Migration 0006. */
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { agencies } from './core.js';
import { elements, indicators } from './planning.js';
import { createdAt, decimal, id, updatedAt } from './columns.js';

export const ACTION_PLAN_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;
export const CROSSCUTTING_STATUSES = ['pending', 'accepted', 'rejected'] as const;

export type ActionPlanActivity = { title: string; responsible: string | null; budget: number | null };

/** Rencana Aksi: one per agency and year, versioned like an agreement. */
export const actionPlans = pgTable('action_plans', {
  agencyId: uuid('agency_id').notNull().references(() => agencies.id),
  year: integer('year').notNull(),
  version: integer('version').notNull(),
  status: text('status', { enum: ACTION_PLAN_STATUSES }).notNull(),
  submittedAt: timestamp('submitted_at', { withTimezone: true }),
  submittedBy: text('submitted_by'),
  reviewedBy: text('reviewed_by'),
  reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
  comment: text('comment'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [primaryKey({ name: 'action_plans_pk', columns: [t.agencyId, t.year, t.version] })]);

/** One indicator of an action plan version: its four quarter targets and the activities. */
export const actionPlanItems = pgTable('action_plan_items', {
  agencyId: uuid('agency_id').notNull(),
  year: integer('year').notNull(),
  version: integer('version').notNull(),
  indicatorId: uuid('indicator_id').notNull().references(() => indicators.id),
  position: integer('position').notNull(),
  q1: decimal('q1').notNull(),
  q2: decimal('q2').notNull(),
  q3: decimal('q3').notNull(),
  q4: decimal('q4').notNull(),
  activities: jsonb('activities').$type<ActionPlanActivity[]>().notNull().default(sql`'[]'::jsonb`),
  deviationReason: text('deviation_reason'),
}, (t) => [
  primaryKey({ name: 'action_plan_items_pk', columns: [t.agencyId, t.year, t.version, t.indicatorId] }),
  index('action_plan_items_indicator_idx').on(t.indicatorId),
]);

/** Analisis capaian: causes, supporting and inhibiting factors, solutions per indicator and year. */
export const analyses = pgTable('analyses', {
  indicatorId: uuid('indicator_id').notNull().references(() => indicators.id),
  year: integer('year').notNull(),
  causes: text('causes').notNull().default(''),
  supportingFactors: text('supporting_factors').notNull().default(''),
  inhibitingFactors: text('inhibiting_factors').notNull().default(''),
  solutions: text('solutions').notNull().default(''),
  updatedAt: updatedAt(),
  updatedBy: text('updated_by').notNull(),
}, (t) => [primaryKey({ name: 'analyses_pk', columns: [t.indicatorId, t.year] })]);

/** Lintas sektor: `fromElementId` (the contributing agency's) contributes to `toElementId`. */
export const crosscuttingLinks = pgTable('crosscutting_links', {
  id: id(),
  fromElementId: uuid('from_element_id').notNull().references(() => elements.id),
  toElementId: uuid('to_element_id').notNull().references(() => elements.id),
  fromAgencyId: uuid('from_agency_id').notNull().references(() => agencies.id),
  toAgencyId: uuid('to_agency_id').notNull().references(() => agencies.id),
  status: text('status', { enum: CROSSCUTTING_STATUSES }).notNull(),
  note: text('note'),
  reason: text('reason'),
  createdBy: text('created_by').notNull(),
  decidedBy: text('decided_by'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  index('crosscutting_from_agency_idx').on(t.fromAgencyId),
  index('crosscutting_to_agency_idx').on(t.toAgencyId),
  // at most one pending or accepted link between two elements; a rejected one may be proposed again
  uniqueIndex('crosscutting_open_uq').on(t.fromElementId, t.toElementId).where(sql`${t.status} IN ('pending', 'accepted')`),
  index('crosscutting_to_idx').on(t.toElementId).where(sql`${t.status} = 'accepted'`),
]);
