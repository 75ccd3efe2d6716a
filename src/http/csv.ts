/**
 * CSV answers (`Accept: text/csv`): the shared writer and its `?delimiter=` option. Spreadsheets in
 * Indonesian locale separate columns with `;` (the comma is their decimal separator), so every CSV
 * answer takes `?delimiter=semicolon`; the default stays `,`. Figures are written as in JSON
 * (`12.5`) either way. Files are UTF-8 with a BOM (so Excel reads Indonesian names right), CRLF
 * line ends and RFC 4180 quoting.
 */
import { z } from 'zod';

export type CsvDelimiter = ',' | ';';

/** The query of a route that answers CSV: extend a route's querystring with it. */
export const csvAnswerQuery = z.object({
  delimiter: z.enum(['comma', 'semicolon']).default('comma')
    .describe('Column separator of a text/csv answer: `semicolon` for spreadsheets in Indonesian locale'),
});
export const delimiterOf = (q: { delimiter?: 'comma' | 'semicolon' }): CsvDelimiter => (q.delimiter === 'semicolon' ? ';' : ',');

export const CSV_BOM = '\uFEFF';
const CRLF = '\r\n';

export type CsvCell = string | number | boolean | null | undefined;

const NEEDS_QUOTES = { ',': /[",\r\n]|^\s|\s$/, ';': /[";\r\n]|^\s|\s$/ } as const;

/** RFC 4180: quote a field holding a quote, the delimiter, CR or LF (or edge spaces), doubling its quotes. */
export function csvField(v: CsvCell, delimiter: CsvDelimiter = ','): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return NEEDS_QUOTES[delimiter].test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: readonly CsvCell[], delimiter: CsvDelimiter = ',') =>
  cells.map((c) => csvField(c, delimiter)).join(delimiter) + CRLF;
