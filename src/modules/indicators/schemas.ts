import { z } from 'zod';
import { AGGREGATIONS, INDICATOR_TYPES, POLARITIES } from '../../db/schema/index.js';
import { pageQuery, updatedSinceQuery } from '../../http/pagination.js';
import { decimalValue, planCode, yearValue } from '../plans/schemas.js';

export const indicatorType = z.enum(INDICATOR_TYPES).describe('input, process, output, outcome or impact');
export const polarity = z.enum(POLARITIES).describe('higher_is_better (positif) or lower_is_better (negatif)');
export const aggregation = z.enum(AGGREGATIONS).describe('How quarters make the year: sum (kumulatif), last (non-kumulatif) or average');

const baseline = z.object({ year: yearValue, value: decimalValue }).strict();

export const indicatorSchema = z.object({
  id: z.uuid(),
  elementId: z.uuid(),
  planId: z.uuid(),
  agencyId: z.uuid(),
  code: z.string(),
  name: z.string(),
  type: indicatorType,
  unit: z.string(),
  polarity,
  aggregation,
  isKey: z.boolean().describe('true for an IKU (indikator kinerja utama)'),
  baseline: z.object({ year: z.number().int(), value: z.number() }).nullable(),
  definition: z.string().nullable(),
  dataSource: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'Indicator', description: 'Indikator kinerja of an element' });

export const createIndicatorBody = z.object({
  code: planCode,
  name: z.string().trim().min(1).max(1000),
  type: indicatorType,
  unit: z.string().trim().min(1).max(100),
  polarity,
  aggregation,
  isKey: z.boolean().optional(),
  baseline: baseline.nullish(),
  definition: z.string().max(10_000).nullish(),
  dataSource: z.string().max(2_000).nullish(),
}).strict();

export const patchIndicatorBody = createIndicatorBody.partial().strict();

const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listIndicatorsQuery = pageQuery.extend(updatedSinceQuery.shape).extend({
  type: indicatorType.optional(),
  isKey: boolQuery.optional().describe('true: IKU only; false: the others'),
  elementId: z.uuid().optional(),
  planId: z.uuid().optional(),
});

export const indicatorParams = z.object({ indicatorId: z.uuid() });

export type IndicatorDto = z.infer<typeof indicatorSchema>;
export type CreateIndicator = z.infer<typeof createIndicatorBody>;
