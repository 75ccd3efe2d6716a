import { z } from 'zod';
import { AGENCY_KINDS, AGGREGATIONS, ELEMENT_LEVELS, INDICATOR_TYPES, POLARITIES } from '../../db/schema/index.js';
import { CATEGORIES } from '../../domain/achievement.js';
import { EFFICIENCY_CATEGORIES } from '../../domain/efficiency.js';
import { pageQuery } from '../../http/pagination.js';

const num = z.number().nullable();
const pct = z.number().nullable().describe('Percent, rounded half up to 2 decimals; null when not computable or no data');
const targetRange = z.object({ min: z.number(), max: z.number() }).nullable()
  .describe('A ranged target (target rentang), with target null; null for a single target');
export const analysisSchema = z.object({
  causes: z.string(), supportingFactors: z.string(), inhibitingFactors: z.string(), solutions: z.string(),
}).meta({ id: 'IndicatorAnalysis', description: 'Analisis capaian: causes, supporting and inhibiting factors, solutions' });

export const reportIndicatorSchema = z.object({
  indicatorId: z.uuid(),
  code: z.string(),
  name: z.string(),
  type: z.enum(INDICATOR_TYPES),
  unit: z.string(),
  polarity: z.enum(POLARITIES),
  aggregation: z.enum(AGGREGATIONS),
  isKey: z.boolean(),
  target: num.describe('The latest signed agreement version\'s target, else the indicator\'s annual target; null for a range'),
  targetRange,
  realization: num.describe('The annual measurement, else the aggregation of the counted quarters'),
  achievement: pct,
  category: z.enum(CATEGORIES),
  quarters: z.array(z.object({
    period: z.string(),
    target: num.describe('The approved action plan\'s quarter target where there is one, else the indicator\'s'),
    targetRange: targetRange.unwrap().optional().describe('Only on a ranged quarter target (then target is null)'),
    realization: num,
    achievement: pct.describe('Only where the quarter has its own target'),
  })),
  previousYears: z.array(z.object({ year: z.number().int(), realization: num, achievement: pct }))
    .describe('Always two entries: year - 1, then year - 2; nulls where unknown'),
  planEndTarget: num.describe('The indicator\'s annual target for its plan\'s end year'),
  planEndTargetRange: targetRange.unwrap().optional().describe('Only when the end-year target is a range (then planEndTarget is null)'),
  planProgress: pct.describe('The achievement formula of the realization against planEndTarget'),
  analysis: analysisSchema.nullable().describe('The performance analysis of the year, null when none is recorded'),
}).meta({ id: 'ReportIndicator' });

export const reportElementSchema = z.object({
  id: z.uuid(),
  planId: z.uuid(),
  parentId: z.uuid().nullable(),
  level: z.enum(ELEMENT_LEVELS),
  code: z.string(),
  title: z.string(),
  supports: z.array(z.uuid()),
});

export const reportSchema = z.object({
  agency: z.object({ id: z.uuid(), code: z.string(), name: z.string(), kind: z.enum(AGENCY_KINDS) }),
  year: z.number().int(),
  generatedAt: z.string().describe('RFC 3339 UTC time the report was computed'),
  targetBasis: z.enum(['agreement', 'indicators']).describe('agreement when a signed Perjanjian Kinerja version exists for the year'),
  agreementVersion: z.number().int().optional().describe('The signed agreement version whose targets are used'),
  summary: z.object({
    indicators: z.number().int(),
    byCategory: z.object(Object.fromEntries(CATEGORIES.map((c) => [c, z.number().int()])) as Record<(typeof CATEGORIES)[number], z.ZodNumber>),
    meanAchievement: pct.describe('Mean of the computable (rounded) achievements'),
  }),
  objectives: z.array(z.object({
    element: reportElementSchema,
    indicators: z.array(reportIndicatorSchema),
    budget: z.object({
      allocated: z.number().describe('Sum over the objective and its descendants that carry a budget for the year and have no descendant that carries one; 0 when none'),
      realized: z.number(),
      absorption: pct.describe('realized / allocated x 100; null when allocated is 0'),
    }),
    efficiency: z.object({
      index: z.number().nullable().describe('Objective achievement (mean of its computable indicators, 2 decimals) / absorption, rounded half up to 3 decimals'),
      category: z.enum(EFFICIENCY_CATEGORIES).describe('efficient when index >= 1; not_computable when a figure is missing or absorption is 0'),
    }).describe('Efficiency of resource use (analisis efisiensi); snapshots submitted before it existed lack it'),
  })),
}).meta({ id: 'Report', description: 'LKjIP (Laporan Kinerja Instansi Pemerintah) of an agency and year' });

export type ReportDto = z.infer<typeof reportSchema>;
export type ReportIndicatorDto = z.infer<typeof reportIndicatorSchema>;

export const yearParam = z.string().regex(/^[1-9][0-9]{3}$/, 'a year YYYY').transform(Number);
export const reportParams = z.object({ agencyId: z.uuid(), year: yearParam });
export const yearParams = z.object({ year: yearParam });
export const submissionParams = reportParams.extend({ version: z.coerce.number().int().min(1).max(1_000_000) });

export const listReportsQuery = pageQuery.extend({
  kind: z.enum(AGENCY_KINDS).optional(),
  parentId: z.uuid().optional().describe('Only the direct children of this agency'),
});

export const submissionMetaSchema = z.object({
  agencyId: z.uuid(),
  year: z.number().int(),
  version: z.number().int(),
  digest: z.string().describe('SHA-256 (hex) of the canonical JSON of the report snapshot'),
  submittedAt: z.string(),
  submittedBy: z.string(),
}).meta({ id: 'ReportSubmissionMeta' });

export const submissionCreatedSchema = submissionMetaSchema.extend({
  jws: z.string().describe('Compact JWS (ES256) whose payload is the canonical JSON of the snapshot; verify with /.well-known/jwks.json'),
}).meta({ id: 'ReportSubmission' });

export const submissionSchema = submissionCreatedSchema.extend({ report: reportSchema })
  .meta({ id: 'ReportSubmissionWithSnapshot' });
