import { date, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { updatedAt } from './columns.js';
import { evaluations } from './evaluations.js';

/** Self-assessment (nilai mandiri): the agency's own answer per criterion, with evidence (bukti dukung). */
export const evaluationSelfAnswers = pgTable('evaluation_self_answers', {
  evaluationId: uuid('evaluation_id').notNull().references(() => evaluations.id),
  criterionId: text('criterion_id').notNull(),
  answer: text('answer').notNull(),
  note: text('note'),
  evidence: jsonb('evidence').$type<Array<{ title: string; url: string }>>().notNull().default([]),
  updatedAt: updatedAt(),
  updatedBy: text('updated_by').notNull(),
}, (t) => [primaryKey({ name: 'evaluation_self_answers_pkey', columns: [t.evaluationId, t.criterionId] })]);

/** A year's due dates (jadwal), dates in WIB. A year without a row uses the defaults (domain/schedule.ts). */
export const schedules = pgTable('schedules', {
  year: integer('year').primaryKey(),
  q1Due: date('q1_due', { mode: 'string' }).notNull(),
  q2Due: date('q2_due', { mode: 'string' }).notNull(),
  q3Due: date('q3_due', { mode: 'string' }).notNull(),
  q4Due: date('q4_due', { mode: 'string' }).notNull(),
  reportDueRegional: date('report_due_regional', { mode: 'string' }).notNull(),
  reportDueCentral: date('report_due_central', { mode: 'string' }).notNull(),
  updatedAt: updatedAt(),
  updatedBy: text('updated_by').notNull(),
});
