/**
 * The one CSV reader of the batch imports, for files as people and spreadsheets write them:
 * - the separator is `,` or `;` (a spreadsheet in Indonesian locale writes `;`), decided by the
 *   header line: the one of the two it holds more of;
 * - UTF-8 with or without BOM, LF or CRLF line ends, RFC 4180 quoting (separators and line breaks
 *   inside quotes, doubled quotes);
 * - blank lines are skipped, but still counted: every record carries the line number it starts on
 *   in the file (the header is line 1 when the file starts with it);
 * - columns marked `decimal` accept a decimal comma in `;`-files (`12,5` = 12.5). In `,`-files a
 *   comma inside a number is ambiguous (a decimal comma, or a thousands separator?) and the record
 *   is refused with a message saying so.
 * An unreadable file (broken quoting), an empty one or a wrong header is a 400 problem that names
 * the separator found; a record with the wrong number of fields is returned with an `error`, for
 * the importer to reject that row only.
 *
 * Importers pass the columns they expect (`readCsv(text, [{name: 'agency_code'}, ...])`); header
 * names are matched case-insensitively, in any order; optional columns may be left out.
 */
import { parse } from 'csv-parse/sync';
import { Problem, badRequest } from '../../http/problem.js';
import { readCsvFast } from './csv-fast.js';

export type CsvColumn = {
  name: string;
  /** May be missing from the header (its value is then '' in every record). */
  optional?: boolean;
  /** A number: a decimal comma is read in `;`-files and refused in `,`-files. */
  decimal?: boolean;
};

/** One record: its fields in the order of the expected columns (trimmed unless `raw`), its line. */
export type CsvRecord = { line: number; values: string[]; error?: string };

export type CsvTable<T = CsvRecord> = { delimiter: ',' | ';'; records: T[] };

const asRecord = (values: string[], line: number, error?: string): CsvRecord => (error ? { line, values, error } : { line, values });

/** `12,5` or `-0,25`: a number written with a decimal comma. */
const DECIMAL_COMMA = /^-?[0-9]+,[0-9]+$/;

const separatorName = (d: ',' | ';') => (d === ',' ? 'comma (,)' : 'semicolon (;)');

/**
 * Reads `text` as a CSV with the given columns (see the module comment). Values of columns with
 * `raw: true` are kept as written (a note keeps its spaces); the others are trimmed. `toRow`
 * turns each record into the importer's row as it is read (default: a `CsvRecord`).
 */
export function readCsv(text: string, columns: ReadonlyArray<CsvColumn & { raw?: boolean }>): CsvTable;
export function readCsv<T>(text: string, columns: ReadonlyArray<CsvColumn & { raw?: boolean }>,
  toRow: (values: string[], line: number, error?: string) => T): CsvTable<T>;
export function readCsv<T>(text: string, columns: ReadonlyArray<CsvColumn & { raw?: boolean }>,
  toRow: (values: string[], line: number, error?: string) => T = asRecord as never): CsvTable<T> {
  const delimiter = detectDelimiter(text);
  const expected = columns.map((c) => c.name).join(delimiter);
  let at: number[] | undefined; // column i of the spec is field at[i] of a record (-1: absent)
  let width = 0;
  const records: T[] = [];
  const decimals = columns.flatMap((c, i) => (c.decimal ? [i] : []));
  const onRecord = (f: string[], line: number) => {
    // The header is checked as soon as it is read: the records below rely on its columns.
    if (!at) {
      at = checkHeader(f, columns, delimiter, expected);
      width = f.length;
      return;
    }
    const values = new Array<string>(columns.length);
    for (let i = 0; i < columns.length; i++) {
      const v = at[i] < 0 ? '' : (f[at[i]] ?? '');
      values[i] = columns[i].raw ? v : v.trim();
    }
    if (f.length !== width) {
      records.push(toRow(values, line, `expected ${width} fields, got ${f.length} (the separator is the ${separatorName(delimiter)} of the header line)`));
      return;
    }
    let error: string | undefined;
    for (const i of decimals) {
      if (!values[i].includes(',') || !DECIMAL_COMMA.test(values[i])) continue;
      if (delimiter === ';') values[i] = values[i].replace(',', '.');
      else error ??= `${columns[i].name} ${JSON.stringify(values[i])} is not a number in a comma-separated file: a comma in a number is ambiguous there; write ${values[i].replace(',', '.')}, or separate the columns with ;`;
    }
    records.push(toRow(values, line, error));
  };

  // The fast reader covers the usual files; anything else is read again by csv-parse (same
  // records, or the same error).
  if (!readCsvFast(text, delimiter, onRecord)) {
    at = undefined;
    records.length = 0;
    try {
      parse(text, {
        bom: true, relax_column_count: true, skip_empty_lines: true, trim: false, delimiter, info: true,
        // csv-parse counts every CR and LF inside quotes as a line: back to the record's first line.
        on_record: ({ record, info }: { record: string[]; info: { lines: number } }) => {
          let inside = 0;
          for (const v of record) for (let i = 0; i < v.length; i++) { const c = v.charCodeAt(i); if (c === 10 || c === 13) inside++; }
          onRecord(record, info.lines - inside);
          return null;
        },
      } as never);
    } catch (err) {
      if (err instanceof Problem) throw err;
      throw badRequest(`The CSV cannot be read: ${(err as Error).message}`, [{ path: '', message: 'malformed CSV' }]);
    }
  }
  if (!at) {
    throw badRequest(`The CSV is empty: it needs the header line ${columns.map((c) => c.name).join(',')} (or the same separated by ;)`, [{ path: '', message: 'missing header' }]);
  }
  return { delimiter, records };
}

/** `;` when the header line (the first line that is not blank) holds more `;` than `,`. */
export function detectDelimiter(text: string): ',' | ';' {
  let commas = 0, semicolons = 0, inQuotes = false, started = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === '\n' || c === '\r')) { if (started) break; continue; }
    else if (!inQuotes && c === ',') commas++;
    else if (!inQuotes && c === ';') semicolons++;
    started = true;
  }
  return semicolons > commas ? ';' : ',';
}

function checkHeader(header: string[], columns: ReadonlyArray<CsvColumn>, delimiter: ',' | ';', expected: string): number[] {
  const names = header.map((h) => h.trim().toLowerCase());
  const at = columns.map((c) => names.indexOf(c.name));
  const missing = columns.filter((c, i) => at[i] < 0 && !c.optional).map((c) => c.name);
  const unknown = names.filter((n) => !columns.some((c) => c.name === n));
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (missing.length || unknown.length || twice.length) {
    const found = header.length === 1
      ? `found one column ${JSON.stringify(header[0])}: neither , nor ; separates it`
      : `found ${header.length} columns separated by the ${separatorName(delimiter)}: ${header.map((h) => h.trim()).join(delimiter)}`;
    const why = [missing.length ? `missing ${missing.join(', ')}` : '', unknown.length ? `unknown ${unknown.join(', ')}` : '', twice.length ? `repeated ${twice.join(', ')}` : '']
      .filter(Boolean).join('; ');
    const optional = columns.filter((c) => c.optional).map((c) => c.name);
    throw badRequest(
      `The CSV header must be ${expected} (separated by , or ;${optional.length ? `; ${optional.join(', ')} may be left out` : ''}): ${found} (${why})`,
      [{ path: 'header', message: `wrong CSV header: ${why}` }],
    );
  }
  return at;
}
