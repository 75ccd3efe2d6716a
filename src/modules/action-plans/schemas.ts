import { z } from 'zod';
import { ACTION_PLAN_STATUSES } from '../../db/schema/index.js';
import { pageQuery } from '../../http/pagination.js';
import { bodyUuid, decimalValue, nonNegativeDecimal, yearParam } from '../plans/schemas.js';

export const actionPlanParams = z.object({ agencyId: z.uuid(), year: yearParam });
export const actionPlanVersionsQuery = pageQuery;

const quarterTargets = z.object({ Q1: decimalValue, Q2: decimalValue, Q3: decimalValue, Q4: decimalValue }).strict()
  .describe('The target of each quarter (single values)');

const activityInput = z.object({
  title: z.string().trim().min(1).max(500),
  responsible: z.string().trim().min(1).max(300).nullish().describe('Who is responsible (penanggung jawab)'),
  budget: nonNegativeDecimal.nullish().describe('Budget of the activity (rupiah)'),
}).strict();

export const actionPlanItemInput = z.object({
  indicatorId: bodyUuid(),
  quarterTargets,
  activities: z.array(activityInput).max(100).default([]),
  deviationReason: z.string().trim().min(1).max(2000).nullish()
    .describe('Why the quarters do not reach the annual target; required to submit a deviating item'),
}).strict();

export const putActionPlanBody = z.object({ items: z.array(actionPlanItemInput).max(5000) }).strict().meta({
  examples: [{
    items: [{
      indicatorId: '01934b7e-0000-7000-8000-000000000001',
      quarterTargets: { Q1: 20, Q2: 25, Q3: 25, Q4: 30 },
      activities: [{ title: 'Sosialisasi standar pelayanan', responsible: 'Sekretaris Dinas', budget: 15000000 }],
    }],
  }],
});

export const reviewActionPlanBody = z.object({
  decision: z.enum(['approved', 'returned']),
  comment: z.string().trim().min(1).max(2000).optional().describe('Required to return'),
}).strict().meta({ examples: [{ decision: 'returned', comment: 'Target triwulan IV belum sesuai PK' }] });

export const deviationSchema = z.object({
  implied: z.number().describe('The year figure the quarter targets imply by the indicator\'s aggregation'),
  annualTarget: z.number().nullable().describe('The annual target (latest signed agreement, else the indicator\'s); null for a range'),
  annualTargetRange: z.object({ min: z.number(), max: z.number() }).nullable().describe('The annual ranged target, if it is one'),
}).meta({ id: 'ActionPlanDeviation' });

export const actionPlanItemSchema = z.object({
  indicatorId: z.uuid(),
  quarterTargets: z.object({ Q1: z.number(), Q2: z.number(), Q3: z.number(), Q4: z.number() }),
  activities: z.array(z.object({ title: z.string(), responsible: z.string().nullable(), budget: z.number().nullable() })),
  deviationReason: z.string().nullable(),
  deviation: deviationSchema.nullable().describe('null when the quarters reach the annual target (or there is none)'),
});

export const actionPlanSchema = z.object({
  agencyId: z.uuid(),
  year: z.number().int(),
  version: z.number().int(),
  status: z.enum(ACTION_PLAN_STATUSES),
  items: z.array(actionPlanItemSchema),
  submittedAt: z.string().nullable(),
  submittedBy: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  comment: z.string().nullable().describe('The reviewer\'s comment'),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'ActionPlan', description: 'A version of a Rencana Aksi (action plan)' });

export type ActionPlanDto = z.infer<typeof actionPlanSchema>;
export type ActionPlanItemInput = z.infer<typeof actionPlanItemInput>;
