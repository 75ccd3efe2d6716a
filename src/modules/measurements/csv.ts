import { parse } from 'csv-parse/sync';
import { badRequest } from '../../http/problem.js';
import type { RawItem } from './batch.js';

const COLUMNS = ['agency_code', 'indicator_code', 'period', 'value', 'note'] as const;

/**
 * Reads a CSV batch: header `agency_code,indicator_code,period,value,note` (the note column may be
 * left out), UTF-8 with or without BOM, LF or CRLF, RFC 4180 quoting (commas and line breaks inside
 * quotes). Rows are numbered over the data records, 1-based. An unreadable file or a wrong header
 * is a 400 problem; a record with the wrong number of fields is a rejected row.
 */
export function parseCsvBatch(text: string): RawItem[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: false });
  } catch (err) {
    throw badRequest(`The CSV cannot be read: ${(err as Error).message}`, [{ path: '', message: 'malformed CSV' }]);
  }
  if (!records.length) {
    throw badRequest('The CSV is empty: it needs the header line agency_code,indicator_code,period,value,note', [{ path: '', message: 'missing header' }]);
  }
  const header = records[0].map((h) => h.trim().toLowerCase());
  const withNote = header.length === 5;
  if (!(header.length === 4 || withNote) || header.some((h, i) => h !== COLUMNS[i])) {
    throw badRequest(`The CSV header must be ${COLUMNS.join(',')} (got ${records[0].join(',')})`, [{ path: 'header', message: 'wrong CSV header' }]);
  }
  const items: RawItem[] = new Array(records.length - 1);
  for (let i = 1; i < records.length; i++) {
    const f = records[i];
    if (f.length !== header.length) {
      items[i - 1] = { row: i, error: `expected ${header.length} fields, got ${f.length}`, period: f[2] ?? null };
      continue;
    }
    const note = withNote ? f[4] : '';
    items[i - 1] = {
      row: i,
      agencyCode: f[0].trim(),
      indicatorCode: f[1].trim(),
      period: f[2].trim(),
      value: f[3].trim(),
      // An empty cell is no note.
      note: note === '' ? null : note,
    };
  }
  return items;
}
