import { z } from 'zod';
import { decimalValue, periodParam } from '../plans/schemas.js';

export const targetSchema = z.object({
  indicatorId: z.uuid(),
  period: z.string(),
  value: z.number().nullable().describe('The single target; null for a range'),
  min: z.number().nullable().describe('Lower bound of a ranged target (target rentang); null for a single value'),
  max: z.number().nullable().describe('Upper bound of a ranged target; null for a single value'),
  updatedAt: z.string(),
  updatedBy: z.string().describe('clientId of the last writer'),
}).meta({ id: 'Target', description: 'The value (or range) planned for an indicator in a period' });

export const targetParams = z.object({ indicatorId: z.uuid(), period: periodParam });

/** `{value}` or `{min, max}` with 0 < min < max. */
// null counts as absent, so a target read back ({value, min, max} with nulls) can be sent again.
export const putTargetBody = z.object({
  value: decimalValue.nullish(),
  min: decimalValue.nullish().describe('Lower bound of a range (> 0); give max too, and no value'),
  max: decimalValue.nullish().describe('Upper bound of a range (> min)'),
}).strict().transform((b) => ({
  value: b.value ?? undefined, min: b.min ?? undefined, max: b.max ?? undefined,
})).superRefine((b, ctx) => {
  const ranged = b.min !== undefined || b.max !== undefined;
  if (b.value !== undefined && ranged) ctx.addIssue({ code: 'custom', path: ['value'], message: 'give either value or min + max, not both' });
  else if (!ranged && b.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'required (or min + max for a range)' });
  else if (ranged) {
    if (b.min === undefined) ctx.addIssue({ code: 'custom', path: ['min'], message: 'required with max' });
    else if (b.max === undefined) ctx.addIssue({ code: 'custom', path: ['max'], message: 'required with min' });
    else {
      if (b.min <= 0) ctx.addIssue({ code: 'custom', path: ['min'], message: 'the lower bound of a range must be greater than 0' });
      if (b.min >= b.max) ctx.addIssue({ code: 'custom', path: ['max'], message: 'the upper bound of a range must be greater than the lower bound' });
    }
  }
}).meta({ examples: [{ value: 85 }, { min: 80, max: 90 }] });

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
  value: z.unknown().optional().describe('number with at most 4 decimals; or give min + max'),
  min: z.unknown().optional().describe('lower bound of a ranged target (> 0)'),
  max: z.unknown().optional().describe('upper bound of a ranged target (> min)'),
}).describe('Rows are checked one by one; a bad row is reported in results, not as a 400');

export const TARGET_CSV_HEADER = 'agency_code,indicator_code,period,value';
export const TARGET_CSV_HEADER_RANGED = 'agency_code,indicator_code,period,value,min,max';

export const batchBody = z.union([
  z.object({ items: z.array(batchRow) }),
  z.string().describe(`text/csv with the header ${TARGET_CSV_HEADER} (or ${TARGET_CSV_HEADER_RANGED}: value empty on a ranged row)`),
]);

export const batchResultSchema = z.object({
  summary: z.object({
    received: z.number().int(), created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), rejected: z.number().int(),
    valid: z.number().int().optional().describe('Only when atomic=true and some row was rejected: the rows that passed every check but were not written'),
  }),
  dryRun: z.boolean(),
  written: z.boolean().describe('true only when some row was created or updated; false on a dry run, when nothing changed, or when atomic=true and some row was rejected'),
  results: z.array(z.object({
    row: z.number().int().describe('1-based over the items (over the data lines for CSV)'),
    line: z.number().int().optional().describe('CSV: the line of the row in the file (header = 1; blank lines count)'),
    status: z.enum(['created', 'updated', 'unchanged', 'rejected', 'valid']).describe('`valid`: passed every check, not written because its atomic batch had an invalid row'),
    indicatorId: z.uuid().optional(),
    agencyCode: z.string().optional().describe('CSV, rejected rows: the agency code the row named'),
    indicatorCode: z.string().optional().describe('CSV, rejected rows: the indicator code the row named'),
    period: z.string(),
    error: z.string().optional(),
  })),
}).meta({ id: 'TargetBatchResult' });

export type TargetDto = z.infer<typeof targetSchema>;
export type BatchResult = z.infer<typeof batchResultSchema>;
/** A target as written: a single value, or a range. Decimal strings. */
export type TargetValue = { value: string; min: null; max: null } | { value: null; min: string; max: string };
