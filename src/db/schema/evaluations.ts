import {
  boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid,
} from 'drizzle-orm/pg-core';
import { agencies } from './core.js';
import { createdAt, decimal, id, updatedAt } from './columns.js';

export const RECOMMENDATION_STATUSES = ['open', 'in_progress', 'completed', 'verified'] as const;
export const PRIORITIES = ['high', 'medium', 'low'] as const;

export type FrameworkDefinition = {
  components: Array<{
    code: string; name: string; weight: string;
    subComponents: Array<{
      code: string; name: string; weight: string;
      criteria: Array<{ id: string; code: string; text: string; scale: 'ABCD' | 'YT' }>;
    }>;
  }>;
};

/** Evaluation frameworks (LKE) as data; the built-in PermenPAN-RB 88/2021 one is seeded by a migration. */
export const evaluationFrameworks = pgTable('evaluation_frameworks', {
  id: id(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  builtIn: boolean('built_in').notNull().default(false),
  definition: jsonb('definition').$type<FrameworkDefinition>().notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const evaluations = pgTable('evaluations', {
  id: id(),
  agencyId: uuid('agency_id').notNull().references(() => agencies.id),
  year: integer('year').notNull(),
  frameworkId: uuid('framework_id').notNull().references(() => evaluationFrameworks.id),
  status: text('status', { enum: ['draft', 'final'] }).notNull().default('draft'),
  finalizedAt: timestamp('finalized_at', { withTimezone: true }),
  finalizedBy: text('finalized_by'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  unique('evaluations_agency_year_fw_uq').on(t.agencyId, t.year, t.frameworkId),
  index('evaluations_agency_idx').on(t.agencyId),
]);

export const evaluationAnswers = pgTable('evaluation_answers', {
  evaluationId: uuid('evaluation_id').notNull().references(() => evaluations.id),
  criterionId: text('criterion_id').notNull(),
  answer: text('answer').notNull(),
  note: text('note'),
  updatedAt: updatedAt(),
  updatedBy: text('updated_by').notNull(),
}, (t) => [primaryKey({ columns: [t.evaluationId, t.criterionId] })]);

/** Rekomendasi and their follow-up (tindak lanjut). */
export const recommendations = pgTable('recommendations', {
  id: id(),
  evaluationId: uuid('evaluation_id').notNull().references(() => evaluations.id),
  agencyId: uuid('agency_id').notNull().references(() => agencies.id),
  year: integer('year').notNull(),
  text: text('text').notNull(),
  componentCode: text('component_code'),
  priority: text('priority', { enum: PRIORITIES }).notNull(),
  dueDate: date('due_date', { mode: 'string' }).notNull(),
  status: text('status', { enum: RECOMMENDATION_STATUSES }).notNull().default('open'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [index('recommendations_agency_idx').on(t.agencyId, t.year)]);

export const followUps = pgTable('follow_ups', {
  id: id(),
  recommendationId: uuid('recommendation_id').notNull().references(() => recommendations.id),
  action: text('action').notNull(),
  evidence: jsonb('evidence').$type<Array<{ title: string; url: string }>>(),
  progress: decimal('progress'),
  createdAt: createdAt(),
  createdBy: text('created_by').notNull(),
}, (t) => [index('follow_ups_rec_idx').on(t.recommendationId)]);

export const recommendationStatusChanges = pgTable('recommendation_status_changes', {
  id: id(),
  recommendationId: uuid('recommendation_id').notNull().references(() => recommendations.id),
  fromStatus: text('from_status').notNull(),
  toStatus: text('to_status').notNull(),
  comment: text('comment'),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  changedBy: text('changed_by').notNull(),
});
