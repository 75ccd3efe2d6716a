/**
 * The report as CSV, one row per indicator (for spreadsheets): UTF-8 with a BOM so Excel reads
 * Indonesian names right, CRLF line ends and RFC 4180 quoting. Figures are the JSON numbers written
 * out as they are (`66.67`, `100`, `12.5`); null is an empty cell, booleans `true`/`false`.
 */
import type { ReportDto } from './schemas.js';

export const CSV_COLUMNS = [
  'agency_code', 'year', 'objective_code', 'objective_title', 'indicator_code', 'indicator_name',
  'unit', 'polarity', 'aggregation', 'is_key', 'target', 'realization', 'achievement', 'category',
  ...[1, 2, 3, 4].flatMap((q) => [`q${q}_target`, `q${q}_realization`, `q${q}_achievement`]),
  'plan_end_target', 'plan_progress', 'target_min', 'target_max',
] as const;

const BOM = '\uFEFF';
const CRLF = '\r\n';

type Cell = string | number | boolean | null | undefined;

/** RFC 4180: quote a field holding a quote, comma, CR or LF (or edge spaces), doubling its quotes. */
export function csvField(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: readonly Cell[]) => cells.map(csvField).join(',') + CRLF;

export function reportCsv(report: ReportDto): string {
  let out = BOM + csvLine(CSV_COLUMNS);
  for (const o of report.objectives) {
    for (const i of o.indicators) {
      out += csvLine([
        report.agency.code, report.year, o.element.code, o.element.title, i.code, i.name,
        i.unit, i.polarity, i.aggregation, i.isKey, i.target, i.realization, i.achievement, i.category,
        ...i.quarters.flatMap((q) => [q.target, q.realization, q.achievement]),
        i.planEndTarget, i.planProgress, i.targetRange?.min, i.targetRange?.max,
      ]);
    }
  }
  return out;
}
