import { z } from 'zod';
import { PRIORITIES, RECOMMENDATION_STATUSES } from '../../db/schema/index.js';
import { pageQuery } from '../../http/pagination.js';

const status = z.enum(RECOMMENDATION_STATUSES);
const year = z.coerce.number().int().min(2000).max(2100);

export const recommendationSchema = z.object({
  id: z.uuid(),
  evaluationId: z.uuid(),
  agencyId: z.uuid(),
  year: z.number().int().describe('The year of the evaluation'),
  text: z.string(),
  componentCode: z.string().nullable(),
  priority: z.enum(PRIORITIES),
  dueDate: z.string().describe('YYYY-MM-DD'),
  status,
  overdue: z.boolean().describe('Due date before today (UTC) and status open or in_progress'),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'Recommendation', description: 'A recommendation (rekomendasi) of an evaluation and where its follow-up stands' });

export const evidenceSchema = z.object({
  title: z.string().trim().min(1).max(300),
  url: z.url({ protocol: /^https?$/ }).max(2000),
}).strict();

export const followUpSchema = z.object({
  id: z.uuid(),
  recommendationId: z.uuid(),
  action: z.string(),
  evidence: z.array(z.object({ title: z.string(), url: z.string() })),
  progress: z.number().nullable().describe('0-100, as the agency reports it'),
  createdAt: z.string(),
  createdBy: z.string(),
}).meta({ id: 'FollowUp', description: 'A follow-up action (tindak lanjut) recorded by the agency' });

export const statusChangeSchema = z.object({
  id: z.uuid(),
  fromStatus: status,
  toStatus: status,
  comment: z.string().nullable(),
  changedAt: z.string(),
  changedBy: z.string(),
}).meta({ id: 'RecommendationStatusChange' });

export const followUpSummarySchema = z.object({
  agencyId: z.uuid(),
  year: z.number().int(),
  total: z.number().int(),
  byStatus: z.object({ open: z.number().int(), in_progress: z.number().int(), completed: z.number().int(), verified: z.number().int() }),
  rate: z.number().describe('verified / total × 100, rounded half up to 2 decimals; 0 when there is no recommendation'),
  overdue: z.number().int().describe('Recommendations past their due date and not completed or verified'),
}).meta({ id: 'FollowUpSummary' });

export const createRecommendationBody = z.object({
  text: z.string().trim().min(1).max(4000),
  componentCode: z.string().min(1).max(100).nullish().describe('A component code of the evaluation\'s framework, e.g. planning'),
  priority: z.enum(PRIORITIES),
  dueDate: z.iso.date().describe('YYYY-MM-DD'),
}).strict();

export const createFollowUpBody = z.object({
  action: z.string().trim().min(1).max(4000),
  evidence: z.array(evidenceSchema).max(50).optional(),
  progress: z.number().min(0).max(100).multipleOf(0.01).optional(),
}).strict();

export const statusBody = z.object({
  status,
  comment: z.string().max(4000).optional(),
}).strict();

export type RecommendationDto = z.infer<typeof recommendationSchema>;
export type FollowUpDto = z.infer<typeof followUpSchema>;

export const recommendationParams = z.object({ recommendationId: z.uuid() });
export const evaluationParams = z.object({ evaluationId: z.uuid() });
export const agencyParams = z.object({ agencyId: z.uuid() });
export const listRecommendationsQuery = pageQuery.extend({ status: status.optional(), year: year.optional() });
export const summaryQuery = z.object({ year });
