// `sakip import measurements <file.csv> [--dry-run] [--atomic]`: sends a spreadsheet's CSV to
// POST /v1/measurements/batch in chunks (one request when atomic), with an Idempotency-Key derived
// from the file's content, and writes the rejected rows to <file>.rejected.csv to fix and resend.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { Api, ApiError, type ProblemBody } from './http.js';
import { progress } from './progress.js';

/** The part of POST /v1/measurements/batch's answer (MeasurementBatchResult) this command reads. */
type BatchResult = {
  written: boolean;
  summary: Record<'created' | 'updated' | 'unchanged' | 'rejected', number>;
  results: Array<{ row: number; status: string; error?: string }>;
};
export type ImportOptions = { dryRun: boolean; atomic: boolean; chunkRows: number; idempotencyKey?: string; out: NodeJS.WritableStream; err: NodeJS.WriteStream | NodeJS.WritableStream };
export type ImportOutcome = {
  rows: number; rejected: number; written: boolean; rejectedFile: string | null;
  summary: { created: number; updated: number; unchanged: number; rejected: number };
};

type Row = { fields: string[]; line: number };
const MAX_ATOMIC_ROWS = 50_000;

/** Reads the file as the service does: BOM, `,` or `;` by the header line, quotes, blank lines skipped. */
export function readCsv(text: string): { bom: boolean; delimiter: string; header: string[]; headerLine: string; rows: Row[]; errorColumn: boolean } {
  const bom = text.startsWith('\uFEFF');
  const body = bom ? text.slice(1) : text;
  const headerLine = body.split(/\r?\n/, 1)[0];
  const delimiter = headerLine.includes(';') && !headerLine.includes(',') ? ';' : ',';
  const records = parse(body, { delimiter, relax_column_count: true, skip_empty_lines: true, info: true, relax_quotes: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  if (records.length === 0) throw new Error('The file is empty: it needs a header line such as agency_code,indicator_code,period,value,note');
  const [head, ...rest] = records;
  // A file this command wrote (q3.rejected.csv) ends with an `error` column: it is left out when sent.
  const errorColumn = head.record.length > 1 && head.record[head.record.length - 1].trim().toLowerCase() === 'error';
  const width = errorColumn ? head.record.length - 1 : Number.POSITIVE_INFINITY;
  const header = head.record.slice(0, width);
  return {
    bom, delimiter, header, errorColumn, headerLine: errorColumn ? toLine(header, delimiter) : headerLine,
    rows: rest.map((r) => ({ fields: errorColumn ? r.record.slice(0, width) : r.record, line: r.info.lines })),
  };
}

const quote = (delimiter: string) => (cell: string) => (cell.includes(delimiter) || /["\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
const toLine = (cells: string[], delimiter: string) => cells.map(quote(delimiter)).join(delimiter);

/** The output file next to the input: q3.csv -> q3.rejected.csv. */
export const rejectedPath = (file: string) => (/\.csv$/i.test(file) ? file.replace(/\.csv$/i, '.rejected.csv') : `${file}.rejected.csv`);

export async function importMeasurements(api: Api, file: string, opts: ImportOptions): Promise<ImportOutcome> {
  const bytes = readFileSync(file);
  const text = bytes.toString('utf8');
  const csv = readCsv(text);
  const digest = createHash('sha256').update(bytes).digest('hex');
  const mode = `${opts.dryRun ? 'dry' : 'write'}${opts.atomic ? '-atomic' : ''}`;
  if (opts.atomic && csv.rows.length > MAX_ATOMIC_ROWS) throw new Error(`An atomic import holds at most ${MAX_ATOMIC_ROWS} rows; ${file} has ${csv.rows.length}`);
  // One request when the file fits (its exact bytes, so the service sees the file itself), else chunks.
  const chunkRows = opts.atomic ? Math.max(csv.rows.length, 1) : Math.max(1, opts.chunkRows);
  const chunks: Row[][] = [];
  for (let i = 0; i < csv.rows.length; i += chunkRows) chunks.push(csv.rows.slice(i, i + chunkRows));
  if (chunks.length === 0) chunks.push([]);

  const bar = progress(opts.err, csv.rows.length, chunks.length > 1);
  const query = `?dryRun=${opts.dryRun}&atomic=${opts.atomic}`;
  const summary = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  const rejected: Array<{ row: Row; error: string }> = [];
  let written = false;
  let done = 0;
  for (const [index, chunk] of chunks.entries()) {
    const body = chunks.length === 1 && !csv.errorColumn ? text : `${csv.headerLine}\n${chunk.map((r) => toLine(r.fields, csv.delimiter)).join('\n')}\n`;
    const key = opts.idempotencyKey ? `${opts.idempotencyKey}-${index}` : `sakip-cli-${digest}-${mode}-${index}`;
    const res = await api.send('POST', `/v1/measurements/batch${query}`, {
      body, headers: { 'content-type': 'text/csv; charset=utf-8', accept: 'application/json', 'idempotency-key': key },
    });
    if (res.status !== 200) {
      bar.finish();
      let problem: ProblemBody;
      try { problem = res.json() as ProblemBody; } catch { problem = { detail: res.text().slice(0, 200) }; }
      throw new ApiError(res.status, problem, `import of ${file}${chunks.length > 1 ? ` (rows ${done + 1}-${done + chunk.length})` : ''}`);
    }
    const result = res.json() as BatchResult;
    written ||= result.written;
    for (const key of Object.keys(summary) as Array<keyof typeof summary>) summary[key] += result.summary[key] ?? 0;
    for (const r of result.results) {
      if (r.status !== 'rejected') continue;
      const row = chunk[r.row - 1] ?? { fields: [], line: 0 };
      rejected.push({ row, error: r.error ?? 'rejected' });
    }
    done += chunk.length;
    bar.update(done);
  }
  bar.finish();

  const out = opts.out;
  const verb = opts.dryRun ? 'checked (dry run, nothing written)' : written ? 'imported' : 'sent, nothing written';
  out.write(`${file}: ${csv.rows.length} rows ${verb}: ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.rejected} rejected\n`);
  let rejectedFile: string | null = null;
  if (rejected.length > 0) {
    out.write(table(['line', ...csv.header.slice(0, 4), 'error'], rejected.map(({ row, error }) => [String(row.line), ...csv.header.slice(0, 4).map((_, i) => row.fields[i] ?? ''), error])));
    rejectedFile = rejectedPath(file);
    const lines = [toLine([...csv.header, 'error'], csv.delimiter), ...rejected.map(({ row, error }) => toLine([...row.fields, error], csv.delimiter))];
    writeFileSync(rejectedFile, `${csv.bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`);
    out.write(`${rejected.length} rejected rows written to ${rejectedFile}: fix them and import that file (its error column is left out).\n`);
  }
  return { rows: csv.rows.length, rejected: rejected.length, written, rejectedFile, summary };
}

/** A plain text table, columns padded to their widest cell (errors are cut at 80 characters). */
export function table(head: string[], rows: string[][]): string {
  const cells = [head, ...rows].map((r) => r.map((c) => (c.length > 80 ? `${c.slice(0, 77)}...` : c)));
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return `${[line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n')}\n`;
}
