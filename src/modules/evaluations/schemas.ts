import { z } from 'zod';
import { GRADES } from '../../domain/evaluation.js';
import { pageQuery } from '../../http/pagination.js';

const year = z.coerce.number().int().min(2000).max(2100);

export const evaluationSchema = z.object({
  id: z.uuid(),
  agencyId: z.uuid(),
  year: z.number().int(),
  frameworkId: z.uuid(),
  frameworkCode: z.string(),
  status: z.enum(['draft', 'final']),
  total: z.number().describe('0-100, the rounded (half up, 2 decimals) sum of the exact sub-component scores'),
  grade: z.enum(GRADES).describe('Predikat of the rounded total: AA > 90, A > 80, BB > 70, B > 60, CC > 50, C > 30, else D'),
  components: z.array(z.object({
    code: z.string(),
    weight: z.number(),
    score: z.number(),
    subComponents: z.array(z.object({
      code: z.string(),
      weight: z.number(),
      score: z.number().describe('weight × mean of the answered criteria, 0 when none is answered'),
      criteria: z.number().int(),
      answered: z.number().int(),
    })),
  })),
  answers: z.array(z.object({
    criterionId: z.string(),
    answer: z.string(),
    note: z.string().nullable(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })),
  createdAt: z.string(),
  updatedAt: z.string(),
  finalizedAt: z.string().nullable(),
  finalizedBy: z.string().nullable(),
}).meta({ id: 'Evaluation', description: 'An AKIP evaluation (LKE) of an agency and year, with its scores and grade' });

export type EvaluationDto = z.infer<typeof evaluationSchema>;

export const createEvaluationBody = z.object({
  year: z.number().int().min(2000).max(2100),
  frameworkId: z.string().min(1).max(100).describe('The framework\'s id or code, e.g. permenpanrb-88-2021'),
}).strict();

export const answersBody = z.object({
  answers: z.array(z.object({
    criterionId: z.string().min(1).max(100),
    // Checked against the criterion's scale by the service, so the error can name the criterion.
    answer: z.string().max(10).describe('A, B, C or D on an ABCD criterion; Y or T on a YT criterion'),
    note: z.string().max(4000).nullish(),
  }).strict()).min(1).max(1000),
}).strict();

export type AnswersBody = z.infer<typeof answersBody>;

export const evaluationParams = z.object({ evaluationId: z.uuid() });
export const agencyParams = z.object({ agencyId: z.uuid() });
export const listEvaluationsQuery = pageQuery.extend({ year: year.optional() });
