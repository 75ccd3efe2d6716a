import { z } from 'zod';
import { MEASUREMENT_STATUSES } from '../../db/schema/index.js';
import { PERIOD_REGEX } from '../../domain/period.js';
import { isValidMeasuredValue } from '../../domain/decimal.js';
import { pageQuery, updatedSinceQuery } from '../../http/pagination.js';

export const MAX_BATCH_ROWS = 50_000;
export const MAX_NOTE_LENGTH = 4000;

export const period = z.string().regex(PERIOD_REGEX, 'a year YYYY or a quarter YYYYQn (n = 1..4)')
  .describe('Year `YYYY` or quarter (triwulan) `YYYYQn`');
export const measurementStatus = z.enum(MEASUREMENT_STATUSES);
const evidenceItem = z.object({ title: z.string().trim().min(1).max(300), url: z.url().max(2000) });
/** A JSON number (or plain decimal string) with at most 4 decimals, |x| < 1e15. */
export const measuredValue = z.union([z.number(), z.string()])
  .refine(isValidMeasuredValue, 'a finite decimal number with at most 4 decimal places')
  .describe('Decimal with at most 4 places');

export const measurementSchema = z.object({
  indicatorId: z.uuid(),
  agencyId: z.uuid(),
  period: z.string(),
  value: z.number(),
  note: z.string().nullable(),
  evidence: z.array(z.object({ title: z.string(), url: z.string() })),
  status: measurementStatus,
  revision: z.number().int().describe('Counts every change: value, note, evidence and verification decisions'),
  verificationComment: z.string().nullable(),
  updatedAt: z.string(),
  updatedBy: z.string(),
}).meta({ id: 'Measurement', description: 'Realisasi: the value an indicator reached in a period' });

export const revisionSchema = z.object({
  revision: z.number().int(),
  value: z.number(),
  previousValue: z.number().nullable(),
  status: measurementStatus,
  note: z.string().nullable(),
  changedAt: z.string(),
  changedBy: z.string(),
}).meta({ id: 'MeasurementRevision', description: 'One change of a measurement; a verification decision is a revision whose value equals previousValue' });

export const indicatorParams = z.object({ indicatorId: z.uuid() });
export const measurementParams = indicatorParams.extend({ period });
export const agencyParams = z.object({ agencyId: z.uuid() });

export const putMeasurementBody = z.object({
  value: measuredValue,
  note: z.string().max(MAX_NOTE_LENGTH).nullish().describe('Replaced by every PUT: omit it to clear it'),
  evidence: z.array(evidenceItem).max(50).optional().describe('Supporting documents (bukti dukung); replaced by every PUT'),
}).strict();

export const verificationBody = z.object({
  decision: z.enum(['verified', 'returned']),
  comment: z.string().trim().max(MAX_NOTE_LENGTH).optional().describe('Required when returning'),
}).strict();

const listFilters = {
  period: period.optional(),
  status: measurementStatus.optional(),
};
export const listIndicatorMeasurementsQuery = pageQuery.extend(updatedSinceQuery.shape).extend(listFilters);
export const listAgencyMeasurementsQuery = listIndicatorMeasurementsQuery.extend({
  includeDescendants: z.enum(['true', 'false']).default('false').transform((v) => v === 'true')
    .describe('Also the measurements of the agencies below this one'),
});

/** Documented shape of a batch item. Validation is per row in the service (a bad row is reported,
 * not a 400 for the whole request), so the schema that validates is `unknown`. */
const batchItemDoc = {
  type: 'object',
  description: 'Name the indicator by indicatorId or by agencyCode + indicatorCode',
  properties: {
    indicatorId: { type: 'string', format: 'uuid' },
    agencyCode: { type: 'string' },
    indicatorCode: { type: 'string' },
    period: { type: 'string', pattern: PERIOD_REGEX.source },
    value: { type: ['number', 'string'], description: 'Decimal with at most 4 places' },
    note: { type: ['string', 'null'], maxLength: MAX_NOTE_LENGTH },
  },
  required: ['period', 'value'],
};
export const batchBody = z.union([
  z.object({ items: z.array(z.unknown().meta(batchItemDoc)).describe(`At most ${MAX_BATCH_ROWS} items`) }),
  z.string().describe('text/csv with the header agency_code,indicator_code,period,value,note separated by , or ; '
    + '(UTF-8, optional BOM, LF or CRLF; in ;-files a value may have a decimal comma: 12,5)'),
]);
export const batchQuery = z.object({
  dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true').describe('Validate and report without writing'),
  atomic: z.enum(['true', 'false']).default('false').transform((v) => v === 'true').describe('Write nothing unless every row is valid'),
});

/** Row statuses: `valid` is a row that passed every check but was not written because its atomic
 * batch had an invalid row (docs/batch.md). */
export const ROW_STATUSES = ['created', 'updated', 'unchanged', 'rejected', 'valid'] as const;
export const batchResultSchema = z.object({
  summary: z.object({
    received: z.number().int(), created: z.number().int(), updated: z.number().int(),
    unchanged: z.number().int(), rejected: z.number().int(),
    valid: z.number().int().optional().describe('Rows valid but not written (atomic batch with an invalid row); present only then'),
  }),
  written: z.boolean().describe('true only when a row was created or updated (so false for dryRun, an atomic batch with an invalid row, or a batch of unchanged rows)'),
  results: z.array(z.object({
    row: z.number().int().describe('1-based over the items, or over the CSV data records'),
    line: z.number().int().optional().describe('CSV, rejected rows: the line of the row in the file (header = 1; blank lines count)'),
    status: z.enum(ROW_STATUSES),
    indicatorId: z.uuid().optional(),
    agencyCode: z.string().optional().describe('CSV, rejected rows: the agency code the row named'),
    indicatorCode: z.string().optional().describe('CSV, rejected rows: the indicator code the row named'),
    period: z.string().nullable(),
    error: z.string().optional(),
  })),
}).meta({ id: 'MeasurementBatchResult' });

export type MeasurementDto = z.infer<typeof measurementSchema>;
export type RevisionDto = z.infer<typeof revisionSchema>;
export type BatchResult = z.infer<typeof batchResultSchema>;
