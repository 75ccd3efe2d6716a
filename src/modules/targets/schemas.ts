import { z } from 'zod';
import { decimalValue, periodParam } from '../plans/schemas.js';

export const targetSchema = z.object({
  indicatorId: z.uuid(),
  period: z.string(),
  value: z.number(),
  updatedAt: z.string(),
  updatedBy: z.string().describe('clientId of the last writer'),
}).meta({ id: 'Target', description: 'The value planned for an indicator in a period' });

export const targetParams = z.object({ indicatorId: z.uuid(), period: periodParam });
export const putTargetBody = z.object({ value: decimalValue }).strict();

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
export const batchQuery = z.object({
  dryRun: flag.default(false).describe('Validate and report without writing'),
  atomic: flag.default(false).describe('Write nothing unless every row is valid'),
});

const batchRow = z.looseObject({
  indicatorId: z.unknown().optional().describe('uuid; or give agencyCode + indicatorCode'),
  agencyCode: z.unknown().optional().describe('string'),
  indicatorCode: z.unknown().optional().describe('string'),
  period: z.unknown().optional().describe('YYYY or YYYYQn'),
  value: z.unknown().optional().describe('number with at most 4 decimals'),
}).describe('Rows are checked one by one; a bad row is reported in results, not as a 400');

export const batchBody = z.union([
  z.object({ items: z.array(batchRow) }),
  z.string().describe('text/csv with the header agency_code,indicator_code,period,value'),
]);

export const batchResultSchema = z.object({
  summary: z.object({
    received: z.number().int(), created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), rejected: z.number().int(),
  }),
  dryRun: z.boolean(),
  written: z.boolean().describe('false on a dry run, or when atomic=true and some row was rejected'),
  results: z.array(z.object({
    row: z.number().int().describe('1-based over the items (over the data lines for CSV)'),
    status: z.enum(['created', 'updated', 'unchanged', 'rejected']),
    indicatorId: z.uuid().optional(),
    period: z.string(),
    error: z.string().optional(),
  })),
}).meta({ id: 'TargetBatchResult' });

export type TargetDto = z.infer<typeof targetSchema>;
export type BatchResult = z.infer<typeof batchResultSchema>;
