import { parse } from 'csv-parse/sync';
import { Problem, badRequest } from '../../http/problem.js';
import { ROW_ERROR, type RawItem } from './batch.js';
import { readCsvFast } from './csv-fast.js';

const COLUMNS = ['agency_code', 'indicator_code', 'period', 'value', 'note'] as const;

/**
 * Reads a CSV batch: header `agency_code,indicator_code,period,value,note` (the note column may be
 * left out), UTF-8 with or without BOM, LF or CRLF, RFC 4180 quoting (commas and line breaks inside
 * quotes). Rows are numbered over the data records, 1-based. An unreadable file or a wrong header
 * is a 400 problem; a record with the wrong number of fields is a rejected row.
 */
export function parseCsvBatch(text: string): RawItem[] {
  let header: string[] | undefined;
  const toItem = (f: string[]): RawItem | null => {
    // The header is checked as soon as it is read: the records below rely on its columns.
    if (!header) { header = checkHeader(f); return null; }
    if (f.length !== header.length) return { [ROW_ERROR]: `expected ${header.length} fields, got ${f.length}`, period: f[2] ?? null };
    // An empty note cell is no note.
    const note = header.length === 5 ? f[4] : '';
    return { agencyCode: f[0].trim(), indicatorCode: f[1].trim(), period: f[2].trim(), value: f[3].trim(), note: note === '' ? null : note };
  };
  // The fast reader covers the usual files; anything else is read again by csv-parse (same
  // records, or the same error).
  let items: RawItem[] = [];
  if (!readCsvFast(text, (f) => { const it = toItem(f); if (it) items.push(it); })) {
    header = undefined;
    try {
      // Each record becomes its item as it is read (the header is kept aside): no second array of
      // 50,000 string arrays. csv-parse's types only know records of strings here, hence the casts.
      items = parse(text, {
        bom: true, relax_column_count: true, skip_empty_lines: true, trim: false,
        on_record: toItem as unknown as (record: string[]) => string[] | null,
      }) as unknown as RawItem[];
    } catch (err) {
      if (err instanceof Problem) throw err;
      throw badRequest(`The CSV cannot be read: ${(err as Error).message}`, [{ path: '', message: 'malformed CSV' }]);
    }
  }
  if (!header) {
    throw badRequest('The CSV is empty: it needs the header line agency_code,indicator_code,period,value,note', [{ path: '', message: 'missing header' }]);
  }
  return items;
}

function checkHeader(header: string[]): string[] {
  const names = header.map((h) => h.trim().toLowerCase());
  if (!(names.length === 4 || names.length === 5) || names.some((h, i) => h !== COLUMNS[i])) {
    throw badRequest(`The CSV header must be ${COLUMNS.join(',')} (got ${header.join(',')})`, [{ path: 'header', message: 'wrong CSV header' }]);
  }
  return header;
}
