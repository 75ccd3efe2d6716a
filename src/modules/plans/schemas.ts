import { z } from 'zod';
import { ELEMENT_LEVELS, PLAN_KINDS } from '../../db/schema/index.js';
import { isValidMeasuredValue } from '../../domain/decimal.js';
import { PERIOD_REGEX } from '../../domain/period.js';
import { pageQuery } from '../../http/pagination.js';

/** Planning years the service accepts: wide enough for any real plan, narrow enough to catch typos. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;
/** An RPJMD or Renstra runs 5 years; 10 leaves room for transitional plans and nothing absurd. */
export const MAX_PLAN_YEARS = 10;

export const yearValue = z.number().int().min(MIN_YEAR).max(MAX_YEAR);
export const yearParam = z.coerce.number().int().min(MIN_YEAR).max(MAX_YEAR).describe(`A year, ${MIN_YEAR}-${MAX_YEAR}`);
export const periodParam = z.string().regex(PERIOD_REGEX, 'a period is YYYY or YYYYQn with n in 1..4 (e.g. 2025, 2025Q3)')
  .describe('YYYY or YYYYQn');
/** Targets, values and money: a JSON number with at most 4 decimal places. */
export const decimalValue = z.number().refine(isValidMeasuredValue, 'a finite decimal with at most 4 decimal places and |x| < 1e15');
export const nonNegativeDecimal = decimalValue.refine((v) => v >= 0, 'must not be negative');
export const planCode = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"');

/** A UUID in a body, in its canonical lowercase form (ids are compared as text in places). */
export const bodyUuid = () => z.uuid().overwrite((s) => s.toLowerCase());

export const planKind = z.enum(PLAN_KINDS).describe('rpjmd (regional government), renstra (department, ministry) or rpjmn (the national agency only)');
export const elementLevel = z.enum(ELEMENT_LEVELS).describe('goal > objective > program > activity > sub_activity');

export const planSchema = z.object({
  id: z.uuid(),
  agencyId: z.uuid(),
  kind: planKind,
  title: z.string(),
  startYear: z.number().int(),
  endYear: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'Plan', description: 'A multi-year strategic plan: RPJMD or Renstra' });

const yearsRefine = (p: { startYear?: number; endYear?: number }, ctx: z.RefinementCtx) => {
  if (p.startYear === undefined || p.endYear === undefined) return;
  if (p.startYear > p.endYear) ctx.addIssue({ code: 'custom', path: ['endYear'], message: 'endYear must not be before startYear' });
  else if (p.endYear - p.startYear + 1 > MAX_PLAN_YEARS) ctx.addIssue({ code: 'custom', path: ['endYear'], message: `a plan covers at most ${MAX_PLAN_YEARS} years` });
};

export const createPlanBody = z.object({
  kind: planKind,
  title: z.string().trim().min(1).max(500),
  startYear: yearValue,
  endYear: yearValue,
}).strict().superRefine(yearsRefine);

export const patchPlanBody = z.object({
  title: z.string().trim().min(1).max(500).optional(),
  startYear: yearValue.optional(),
  endYear: yearValue.optional(),
}).strict().superRefine(yearsRefine);

export const elementSchema = z.object({
  id: z.uuid(),
  planId: z.uuid(),
  agencyId: z.uuid(),
  parentId: z.uuid().nullable(),
  level: elementLevel,
  code: z.string(),
  title: z.string(),
  supports: z.array(z.uuid()).describe('Elements of ancestor agencies\' plans this element contributes to (cascading)'),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'Element', description: 'A node of the performance tree (pohon kinerja)' });

const supports = z.array(bodyUuid()).max(100);

export const createElementBody = z.object({
  parentId: bodyUuid().nullish(),
  level: elementLevel,
  code: planCode,
  title: z.string().trim().min(1).max(1000),
  supports: supports.optional(),
}).strict();

export const patchElementBody = createElementBody.partial().strict();

export const agencyParams = z.object({ agencyId: z.uuid() });
export const planParams = z.object({ planId: z.uuid() });
export const elementParams = z.object({ elementId: z.uuid() });
export const listPlansQuery = pageQuery.extend({ kind: planKind.optional() });

export type PlanDto = z.infer<typeof planSchema>;
export type ElementDto = z.infer<typeof elementSchema>;
