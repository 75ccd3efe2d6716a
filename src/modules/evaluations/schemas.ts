import { z } from 'zod';
import { GRADES } from '../../domain/evaluation.js';
import { pageQuery } from '../../http/pagination.js';

const year = z.coerce.number().int().min(2000).max(2100);

export const evidenceSchema = z.object({ title: z.string(), url: z.string() });
/** Evidence as sent: a titled http(s) link (bukti dukung). */
const evidenceInput = z.object({ title: z.string().trim().min(1).max(300), url: z.url({ protocol: /^https?$/ }).max(2000) }).strict();

export const evaluationSchema = z.object({
  id: z.uuid(),
  agencyId: z.uuid(),
  year: z.number().int(),
  frameworkId: z.uuid(),
  frameworkCode: z.string(),
  status: z.enum(['draft', 'final']),
  total: z.number().describe('0-100, the rounded (half up, 2 decimals) sum of the exact sub-component scores'),
  grade: z.enum(GRADES).describe('Predikat of the rounded total: AA > 90, A > 80, BB > 70, B > 60, CC > 50, C > 30, else D'),
  selfTotal: z.number().describe('The self-assessment (nilai mandiri) total, scored by the same rules from the self answers'),
  selfGrade: z.enum(GRADES).describe('Grade of selfTotal; the grade of record is `grade` (the evaluator\'s)'),
  components: z.array(z.object({
    code: z.string(),
    weight: z.number(),
    score: z.number(),
    selfScore: z.number(),
    subComponents: z.array(z.object({
      code: z.string(),
      weight: z.number(),
      score: z.number().describe('weight × mean of the answered criteria, 0 when none is answered'),
      selfScore: z.number().describe('The same from the self answers'),
      criteria: z.number().int(),
      answered: z.number().int(),
      selfAnswered: z.number().int(),
    })),
  })),
  answers: z.array(z.object({
    criterionId: z.string(),
    answer: z.string(),
    note: z.string().nullable(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })).describe('The evaluator\'s answers (nilai evaluator)'),
  selfAnswers: z.array(z.object({
    criterionId: z.string(),
    answer: z.string(),
    note: z.string().nullable(),
    evidence: z.array(evidenceSchema),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })).describe('The agency\'s own answers (nilai mandiri) with their evidence'),
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

export const selfAnswersBody = z.object({
  answers: z.array(z.object({
    criterionId: z.string().min(1).max(100),
    answer: z.string().max(10).describe('A, B, C or D on an ABCD criterion; Y or T on a YT criterion'),
    note: z.string().max(4000).nullish(),
    evidence: z.array(evidenceInput).max(50).optional().describe('Supporting documents (bukti dukung); an omitted list keeps the evidence recorded, [] clears it'),
  }).strict()).min(1).max(1000),
}).strict().meta({
  example: { answers: [
    { criterionId: 'pk-1a-01', answer: 'A', note: 'Renstra 2025-2029 telah ditetapkan', evidence: [{ title: 'Renstra 2025-2029', url: 'https://dinkes.sukamajukab.go.id/renstra.pdf' }] },
    { criterionId: 'pk-1a-02', answer: 'Y' },
  ] },
});
export type SelfAnswersBody = z.infer<typeof selfAnswersBody>;

const answerOf = z.object({ answer: z.string(), note: z.string().nullable(), updatedAt: z.string(), updatedBy: z.string() });
export const answerSheetSchema = z.object({
  evaluationId: z.uuid(),
  status: z.enum(['draft', 'final']),
  data: z.array(z.object({
    criterionId: z.string(),
    code: z.string(),
    componentCode: z.string(),
    subComponentCode: z.string(),
    scale: z.enum(['ABCD', 'YT']),
    text: z.string(),
    self: answerOf.extend({ evidence: z.array(evidenceSchema) }).nullable().describe('The agency\'s answer (nilai mandiri); null when not answered'),
    evaluator: answerOf.nullable().describe('The evaluator\'s answer (nilai evaluator); null when not answered'),
  })).describe('Every criterion of the framework, in the order of the LKE sheet'),
}).meta({ id: 'EvaluationAnswerSheet', description: 'Both answers per criterion of an evaluation' });

export const historySchema = z.object({
  data: z.array(z.object({
    year: z.number().int(),
    evaluationId: z.uuid(),
    frameworkCode: z.string(),
    status: z.enum(['draft', 'final']),
    total: z.number(),
    grade: z.enum(GRADES),
    selfTotal: z.number(),
    selfGrade: z.enum(GRADES),
  })).describe('Oldest year first'),
}).meta({
  id: 'EvaluationHistory',
  example: { data: [
    { year: 2023, evaluationId: '01930000-0000-7000-8000-000000000001', frameworkCode: 'permenpanrb-88-2021', status: 'final', total: 64.12, grade: 'B', selfTotal: 71.5, selfGrade: 'BB' },
    { year: 2024, evaluationId: '01930000-0000-7000-8000-000000000002', frameworkCode: 'permenpanrb-88-2021', status: 'final', total: 68.9, grade: 'B', selfTotal: 73.25, selfGrade: 'BB' },
  ] },
});

export const summaryQuery = z.object({
  year: year.describe('The evaluation year'),
  parentId: z.uuid().optional().describe('Only the agencies below this one (all levels; the agency itself is not included)'),
});

export const summarySchema = z.object({
  year: z.number().int(),
  agencies: z.number().int().describe('Agencies with a final evaluation for the year'),
  byGrade: z.object(Object.fromEntries(GRADES.map((g) => [g, z.number().int()])) as Record<(typeof GRADES)[number], z.ZodNumber>),
  meanTotal: z.number().nullable().describe('Mean of the totals, rounded half up to 2 decimals; null when none'),
  ranking: z.array(z.object({ agencyId: z.uuid(), code: z.string(), name: z.string(), total: z.number(), grade: z.enum(GRADES) }))
    .describe('Highest total first; ties by agency code'),
}).meta({
  id: 'EvaluationSummary',
  description: 'Final evaluations of a year across a region',
  example: {
    year: 2024, agencies: 2, byGrade: { AA: 0, A: 0, BB: 1, B: 1, CC: 0, C: 0, D: 0 }, meanTotal: 69.51,
    ranking: [
      { agencyId: '01930000-0000-7000-8000-00000000000a', code: '3299.1.02', name: 'Dinas Kesehatan', total: 70.12, grade: 'BB' },
      { agencyId: '01930000-0000-7000-8000-00000000000b', code: '3299.1.01', name: 'Dinas Pendidikan', total: 68.9, grade: 'B' },
    ],
  },
});
