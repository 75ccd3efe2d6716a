import { sql } from 'drizzle-orm';
import {
  boolean, check, index, integer, pgTable, primaryKey, text, timestamp, unique, uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { agencies } from './core.js';
import { createdAt, decimal, id, updatedAt } from './columns.js';

/** rpjmn: the national medium-term plan, only for the `national` agency. */
export const PLAN_KINDS = ['rpjmd', 'renstra', 'rpjmn'] as const;
export const ELEMENT_LEVELS = ['goal', 'objective', 'program', 'activity', 'sub_activity'] as const;
export const INDICATOR_TYPES = ['input', 'process', 'output', 'outcome', 'impact'] as const;
export const POLARITIES = ['higher_is_better', 'lower_is_better'] as const;
export const AGGREGATIONS = ['sum', 'last', 'average'] as const;

/** RPJMD (regional government) or Renstra (department, ministry). */
export const plans = pgTable('plans', {
  id: id(),
  agencyId: uuid('agency_id').notNull().references(() => agencies.id),
  kind: text('kind', { enum: PLAN_KINDS }).notNull(),
  title: text('title').notNull(),
  startYear: integer('start_year').notNull(),
  endYear: integer('end_year').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  index('plans_agency_idx').on(t.agencyId),
  check('plans_years_chk', sql`${t.startYear} <= ${t.endYear}`),
]);

/** A node of the performance tree (pohon kinerja). `supports` = cascading to ancestor agencies' elements. */
export const elements = pgTable('elements', {
  id: id(),
  planId: uuid('plan_id').notNull().references(() => plans.id),
  agencyId: uuid('agency_id').notNull().references(() => agencies.id),
  parentId: uuid('parent_id').references((): AnyPgColumn => elements.id),
  level: text('level', { enum: ELEMENT_LEVELS }).notNull(),
  code: text('code').notNull(),
  title: text('title').notNull(),
  supports: uuid('supports').array().notNull().default(sql`'{}'::uuid[]`),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  unique('elements_plan_code_uq').on(t.planId, t.code),
  index('elements_plan_idx').on(t.planId),
  index('elements_parent_idx').on(t.parentId),
  // "who supports this element" (the cascade) without scanning every element
  index('elements_supports_gin').using('gin', t.supports),
]);

/** Indikator kinerja; `isKey` marks an IKU. Codes are unique within the agency. */
export const indicators = pgTable('indicators', {
  id: id(),
  elementId: uuid('element_id').notNull().references(() => elements.id),
  planId: uuid('plan_id').notNull().references(() => plans.id),
  agencyId: uuid('agency_id').notNull().references(() => agencies.id),
  code: text('code').notNull(),
  name: text('name').notNull(),
  type: text('type', { enum: INDICATOR_TYPES }).notNull(),
  unit: text('unit').notNull(),
  polarity: text('polarity', { enum: POLARITIES }).notNull(),
  aggregation: text('aggregation', { enum: AGGREGATIONS }).notNull(),
  isKey: boolean('is_key').notNull().default(false),
  baselineYear: integer('baseline_year'),
  baselineValue: decimal('baseline_value'),
  definition: text('definition'),
  dataSource: text('data_source'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  unique('indicators_agency_code_uq').on(t.agencyId, t.code),
  index('indicators_element_idx').on(t.elementId),
  index('indicators_agency_updated_idx').on(t.agencyId, t.updatedAt),
]);

/** Target per period (`YYYY` or `YYYYQn`). */
export const targets = pgTable('targets', {
  indicatorId: uuid('indicator_id').notNull().references(() => indicators.id),
  period: text('period').notNull(),
  /** A single target; null for a range (min_value, max_value; 0 < min < max). */
  value: decimal('value'),
  minValue: decimal('min_value'),
  maxValue: decimal('max_value'),
  updatedAt: updatedAt(),
  updatedBy: text('updated_by').notNull(),
}, (t) => [
  primaryKey({ columns: [t.indicatorId, t.period] }),
  check('targets_period_chk', sql`${t.period} ~ '^[0-9]{4}(Q[1-4])?$'`),
]);

/** Perjanjian Kinerja: one per agency and year, versioned; signed versions are immutable. */
export const agreements = pgTable('agreements', {
  agencyId: uuid('agency_id').notNull().references(() => agencies.id),
  year: integer('year').notNull(),
  version: integer('version').notNull(),
  status: text('status', { enum: ['draft', 'signed'] }).notNull(),
  signedBy: text('signed_by'),
  signedAt: timestamp('signed_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [primaryKey({ columns: [t.agencyId, t.year, t.version] })]);

export const agreementItems = pgTable('agreement_items', {
  agencyId: uuid('agency_id').notNull(),
  year: integer('year').notNull(),
  version: integer('version').notNull(),
  indicatorId: uuid('indicator_id').notNull().references(() => indicators.id),
  /** null for a ranged target (target_min, target_max). */
  target: decimal('target'),
  targetMin: decimal('target_min'),
  targetMax: decimal('target_max'),
}, (t) => [primaryKey({ columns: [t.agencyId, t.year, t.version, t.indicatorId] })]);

export const agreementBudget = pgTable('agreement_budget', {
  agencyId: uuid('agency_id').notNull(),
  year: integer('year').notNull(),
  version: integer('version').notNull(),
  elementId: uuid('element_id').notNull().references(() => elements.id),
  amount: decimal('amount').notNull(),
}, (t) => [primaryKey({ columns: [t.agencyId, t.year, t.version, t.elementId] })]);

/** Pagu and realisasi anggaran per element and year. */
export const budgets = pgTable('budgets', {
  elementId: uuid('element_id').notNull().references(() => elements.id),
  year: integer('year').notNull(),
  allocated: decimal('allocated').notNull(),
  realized: decimal('realized').notNull(),
  updatedAt: updatedAt(),
  updatedBy: text('updated_by').notNull(),
}, (t) => [
  primaryKey({ columns: [t.elementId, t.year] }),
  check('budgets_nonneg_chk', sql`${t.allocated} >= 0 AND ${t.realized} >= 0`),
]);
