import { readCsv, type CsvColumn } from '../batch/csv.js';
import { CSV_LINE, ROW_ERROR, type RawItem } from './batch.js';

/** The columns of a measurement CSV (API.md): the note may be left out. */
export const MEASUREMENT_CSV_COLUMNS: ReadonlyArray<CsvColumn & { raw?: boolean }> = [
  { name: 'agency_code' }, { name: 'indicator_code' }, { name: 'period' },
  { name: 'value', decimal: true }, { name: 'note', optional: true, raw: true },
];
export const MEASUREMENT_CSV_HEADER = MEASUREMENT_CSV_COLUMNS.map((c) => c.name).join(',');

/**
 * Reads a CSV batch with the shared reader (src/modules/batch/csv.ts: `,` or `;`, BOM, CRLF,
 * blank lines, decimal comma in `;`-files). Rows are numbered over the data records, 1-based
 * (`row`); each also carries its line in the file (`line`, header = 1) and echoes the codes it
 * named, for the result of a rejected row. A record that cannot be read as a row is rejected.
 */
export function parseCsvBatch(text: string): RawItem[] {
  return readCsv(text, MEASUREMENT_CSV_COLUMNS, (v, line, error): RawItem => {
    const item: RawItem = { agencyCode: v[0], indicatorCode: v[1], period: v[2], value: v[3], note: v[4] === '' ? null : v[4], [CSV_LINE]: line };
    if (error) item[ROW_ERROR] = error;
    return item;
  }).records;
}
